"""The domain: articles, their claims, tracked sources, snapshots, evidence, reviews."""

from __future__ import annotations

import zlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Article(models.Model):
    class Status(models.TextChoices):
        PROCESSING = "processing", "Processing"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    author = models.CharField(max_length=300, blank=True)
    published_date = models.DateField(null=True, blank=True)
    text = models.TextField()
    content_hash = models.CharField(max_length=64, db_index=True)
    # Outbound links of the article page: candidate sources for its claims.
    links = models.JSONField(default=list, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.READY)
    failure_reason = models.CharField(max_length=300, blank=True)
    # What readers should know about how it was processed ("first 300 claims kept").
    notice = models.CharField(max_length=300, blank=True)
    # When processing (a URL to fetch, a long text to read) was last queued: the sweeper's lease.
    queued_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    is_published = models.BooleanField(default=False)
    published_at = models.DateTimeField(null=True, blank=True)
    # Calls to the LLM stance back-end spent on this article's evidence (its budget).
    llm_calls = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["-created_at"], name="article_created_idx")]

    def __str__(self) -> str:
        return self.title or f"Article {self.pk}"


class Sentence(models.Model):
    """Every sentence of an article with its check-worthiness, claim or not.

    Sentences under the threshold stay here so a reviewer can promote them.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sentences")
    index = models.PositiveIntegerField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    text = models.TextField()
    score = models.FloatField(default=0.0)
    reasons = models.JSONField(default=list, blank=True)
    is_heading = models.BooleanField(default=False)

    class Meta:
        ordering = ["article", "index"]
        constraints = [
            models.UniqueConstraint(fields=["article", "index"], name="sentence_unique_index"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Claim(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RESEARCHING = "researching", "Researching"
        NEEDS_REVIEW = "needs_review", "Needs review"
        VERIFIED = "verified", "Verified"
        DISPUTED = "disputed", "Disputed"
        UNVERIFIABLE = "unverifiable", "Unverifiable"
        NEEDS_REREVIEW = "needs_rereview", "Needs re-review"

    # The status groups, defined here once.
    # Research not finished: extracted, or sources being gathered.
    RESEARCH_STATUSES = (Status.PENDING, Status.RESEARCHING)
    # A reviewer has to look at the claim: the queue's "open".
    REVIEW_STATUSES = (Status.NEEDS_REVIEW, Status.NEEDS_REREVIEW)
    # The latest review gave a verdict.
    VERDICT_STATUSES = (Status.VERIFIED, Status.DISPUTED, Status.UNVERIFIABLE)

    class Kind(models.TextChoices):
        QUANTITY = "quantity", "Quantity"
        EVENT = "event", "Event"
        ATTRIBUTION = "attribution", "Attribution"
        RELATION = "relation", "Relation"
        COMPARISON = "comparison", "Comparison"

    class Origin(models.TextChoices):
        EXTRACTED = "extracted", "Extracted"
        PROMOTED = "promoted", "Promoted by a reviewer"
        MANUAL = "manual", "Entered by hand"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="claims")
    sentence = models.ForeignKey(
        Sentence, null=True, blank=True, on_delete=models.SET_NULL, related_name="claims"
    )
    text = models.TextField()
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    score = models.FloatField(default=0.0)
    reasons = models.JSONField(default=list, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.EVENT)
    # {"quantities": [...], "dates": [...], "entities": [...]}
    features = models.JSONField(default=dict, blank=True)
    origin = models.CharField(max_length=20, choices=Origin.choices, default=Origin.EXTRACTED)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_claims",
    )
    # Optimistic locking: every write that changes the claim bumps it.
    version = models.PositiveIntegerField(default=1)
    is_published = models.BooleanField(default=False)
    # The review the public page shows: set when an editor publishes, so an edit or a new
    # review changes nothing public until it is published.
    published_review = models.ForeignKey(
        "Review", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Set when research is queued, so a sweep can tell a lost task from a claim never queued.
    research_queued_at = models.DateTimeField(null=True, blank=True)
    research_started_at = models.DateTimeField(null=True, blank=True)
    # What went wrong in the latest research: [{"provider", "error"}] of search providers
    # that could not answer. Empty when research had no problems.
    research_problems = models.JSONField(default=list, blank=True)
    # The claim's matching keys (language.claim_profile), full-text indexed to find earlier
    # claims that may state the same thing (claims.selectors.matches).
    match_keys = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at", "research_problems", "match_keys"])

    class Meta:
        ordering = ["article", "start"]
        indexes = [
            models.Index(fields=["status", "-score"], name="claim_status_score_idx"),
            models.Index(fields=["article", "start"], name="claim_article_start_idx"),
            models.Index(fields=["assignee", "status"], name="claim_assignee_status_idx"),
            # The queue sorts by score: an index scan that stops after one page.
            models.Index(fields=["-score", "id"], name="claim_score_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="claim_span_ok"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class Source(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        FETCHING = "fetching", "Fetching"
        OK = "ok", "OK"
        FAILING = "failing", "Temporarily failing"
        FAILED = "failed", "Failed"
        MOVED = "moved", "Moved"
        GONE = "gone", "Gone"
        # No address to fetch (a phone call, a printed document): added by hand only.
        OFFLINE = "offline", "Offline, added by hand"

    # Not read yet: no fetch has finished.
    UNREAD_STATUSES = (Status.NEW, Status.FETCHING)

    url = models.URLField(max_length=2000, unique=True)
    domain = models.CharField(max_length=255, db_index=True)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NEW)
    failure_reason = models.CharField(max_length=300, blank=True)
    moved_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="moved_from"
    )
    last_checked_at = models.DateTimeField(null=True, blank=True)
    next_check_at = models.DateTimeField(null=True, blank=True)
    check_interval = models.DurationField(null=True, blank=True)
    fetch_started_at = models.DateTimeField(null=True, blank=True)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]
        indexes = [
            models.Index(fields=["next_check_at"], name="source_next_check_idx"),
            models.Index(fields=["status"], name="source_status_idx"),
        ]

    def __str__(self) -> str:
        return self.url


class Snapshot(models.Model):
    """One fetched version of a source. Never updated after it is written."""

    class Origin(models.TextChoices):
        FETCHED = "fetched", "Fetched"
        ARCHIVE = "archive", "Archived copy"
        UPLOAD = "upload", "Uploaded by a reviewer"
        PASTED = "pasted", "Excerpt pasted by a reviewer"

    # Added by hand: the reviewer gave us what the source says.
    BY_HAND = (Origin.UPLOAD, Origin.PASTED)

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="snapshots")
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.FETCHED)
    # Who added it by hand, and where it comes from in their words (a document, a call).
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    citation = models.CharField(max_length=500, blank=True)
    fetched_at = models.DateTimeField(db_index=True)
    http_status = models.PositiveSmallIntegerField()
    final_url = models.URLField(max_length=2000)
    content_type = models.CharField(max_length=200, blank=True)
    headers = models.JSONField(default=dict, blank=True)
    content_hash = models.CharField(max_length=64)
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    published_date = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=20, blank=True)
    text = models.TextField(blank=True)
    raw_body = models.BinaryField()  # zlib-compressed bytes as received

    class Meta:
        ordering = ["source", "-fetched_at"]
        indexes = [models.Index(fields=["source", "-fetched_at"], name="snapshot_source_time_idx")]

    def __str__(self) -> str:
        return f"{self.final_url} @ {self.fetched_at:%Y-%m-%d %H:%M}"

    @staticmethod
    def compress(body: bytes) -> bytes:
        return zlib.compress(body, 6)

    @property
    def body(self) -> bytes:
        return zlib.decompress(bytes(self.raw_body)) if self.raw_body else b""


class FetchAttempt(models.Model):
    """Every fetch of a source, successful or not, with its outcome and reason."""

    class Outcome(models.TextChoices):
        OK = "ok", "Fetched"
        NOT_MODIFIED = "not_modified", "Not modified"
        FAILED = "failed", "Failed"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="attempts")
    snapshot = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # The fetcher's failure code (http_404, timeout, blocked_address ...): stable, for rules.
    code = models.CharField(max_length=40, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    transient = models.BooleanField(default=False)

    class Meta:
        ordering = ["source", "-started_at"]
        indexes = [models.Index(fields=["source", "-started_at"], name="attempt_source_time_idx")]

    def __str__(self) -> str:
        return f"{self.outcome} {self.source_id} @ {self.started_at:%Y-%m-%d %H:%M}"


class ResearchCandidate(models.Model):
    """A source discovery wants read for a claim; tracks progress (n of m fetched)."""

    class State(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Read"
        FAILED = "failed", "Failed"

    claim = models.ForeignKey("Claim", on_delete=models.CASCADE, related_name="candidates")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="candidates")
    found_via = models.CharField(max_length=20)
    provider = models.CharField(max_length=50, blank=True)
    factcheck = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"], name="candidate_unique_claim_source"
            ),
        ]
        indexes = [
            models.Index(fields=["claim", "state"], name="candidate_claim_state_idx"),
            models.Index(fields=["state", "updated_at"], name="candidate_state_time_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.state}: {self.source_id} for claim {self.claim_id}"


class Evidence(models.Model):
    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        CONTRADICTS = "contradicts", "Contradicts"
        MENTIONS = "mentions", "Mentions"

    class FoundVia(models.TextChoices):
        SEARCH = "search", "Search"
        ARTICLE_LINK = "article_link", "Article link"
        REVIEWER = "reviewer", "Added by a reviewer"
        FACTCHECK = "factcheck", "Existing fact-check"
        EARLIER_REVIEW = "earlier_review", "Review of the same claim"

    class StanceBackend(models.TextChoices):
        BUILTIN = "builtin", "built-in scorer"
        NLI = "nli", "NLI model"
        LLM = "llm", "language model"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="evidence")
    snapshot = models.ForeignKey(
        Snapshot, null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
    quote = models.TextField(blank=True)
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    relevance = models.FloatField(default=0.0)
    # None until the source was read: an unread source has no stance ("" would be a
    # fourth stance to every reader of the API; null says "none yet").
    stance = models.CharField(  # noqa: DJ001
        max_length=20, choices=Stance.choices, null=True, blank=True, default=None
    )
    reason = models.CharField(max_length=500, blank=True)
    # Which back-end gave the stance hint; blank when no reading did (a fact-check's rating).
    stance_backend = models.CharField(max_length=20, choices=StanceBackend.choices, blank=True)
    found_via = models.CharField(max_length=20, choices=FoundVia.choices)
    provider = models.CharField(max_length=50, blank=True)
    # For prior fact-checks (ClaimReview results): rating, publisher, review URL.
    factcheck = models.JSONField(default=dict, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["claim", "-relevance"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"], name="evidence_unique_claim_source"
            ),
        ]
        indexes = [
            models.Index(fields=["claim", "-relevance"], name="evidence_claim_rel_idx"),
            models.Index(fields=["claim", "stance"], name="evidence_claim_stance_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source.url} → claim {self.claim_id}"


class Rating(models.Model):
    """One step of the newsroom's rating scale, editable in the admin.

    Each rating belongs to a verdict (verified, disputed, unverifiable); the verdict's
    default rating is used when a reviewer picks none. rating_value places it on the
    ClaimReview scale (bestRating and worstRating are the scale's extremes); a rating
    without a value (unverifiable) is published with its name only.
    """

    label = models.CharField(max_length=60, unique=True)
    verdict = models.CharField(
        max_length=20,
        choices=[
            ("verified", "Verified"),
            ("disputed", "Disputed"),
            ("unverifiable", "Unverifiable"),
        ],
    )
    rating_value = models.PositiveSmallIntegerField(null=True, blank=True)
    alternate_name = models.CharField(
        max_length=100, blank=True, help_text="ClaimReview alternateName; the label when empty."
    )
    description = models.CharField(max_length=300, blank=True)
    is_default = models.BooleanField(
        default=False, help_text="The rating a verdict gets when the reviewer picks none."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["verdict"],
                condition=Q(is_default=True),
                name="rating_one_default_per_verdict",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def name(self) -> str:
        return self.alternate_name or self.label


class Review(models.Model):
    """A reviewer's verdict on a claim. Append-only: the latest one is current."""

    class Verdict(models.TextChoices):
        VERIFIED = "verified", "Verified"
        DISPUTED = "disputed", "Disputed"
        UNVERIFIABLE = "unverifiable", "Unverifiable"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="reviews"
    )
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    rationale = models.TextField()
    evidence = models.ManyToManyField(Evidence, blank=True, related_name="reviews")
    claim_version = models.PositiveIntegerField()
    # The wording the verdict was given on: what the public page shows for this review.
    claim_text = models.TextField(blank=True)
    claim_kind = models.CharField(max_length=20, blank=True)
    # Where the verdict sits on the rating scale (null: reviews made before the scale).
    rating = models.ForeignKey(
        Rating, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "-created_at"]
        indexes = [models.Index(fields=["claim", "-created_at"], name="review_claim_time_idx")]

    def __str__(self) -> str:
        return f"{self.verdict} on claim {self.claim_id}"


class ClaimEvent(models.Model):
    """The claim's timeline: extracted, sources found, reviews, edits, re-check alerts."""

    class Kind(models.TextChoices):
        EXTRACTED = "extracted", "Extracted"
        RESEARCH_STARTED = "research_started", "Research started"
        EVIDENCE_FOUND = "evidence_found", "Evidence found"
        RESEARCH_DONE = "research_done", "Research done"
        RESEARCH_PROBLEM = "research_problem", "Research problem"
        ASSIGNED = "assigned", "Assigned"
        REVIEWED = "reviewed", "Reviewed"
        EDITED = "edited", "Edited"
        SOURCE_ADDED = "source_added", "Source added"
        RECHECK_ALERT = "recheck_alert", "Re-check alert"
        PUBLISHED = "published", "Published"
        UNPUBLISHED = "unpublished", "Unpublished"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    message = models.CharField(max_length=500)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "created_at"]
        indexes = [models.Index(fields=["claim", "created_at"], name="event_claim_time_idx")]

    def __str__(self) -> str:
        return f"{self.kind}: {self.message}"


class FactCheck(models.Model):
    """A published review of a claim (schema.org ClaimReview): imported, or found in research."""

    class Origin(models.TextChoices):
        IMPORTED = "imported", "Imported"
        RESEARCH = "research", "Found during research"

    claim_text = models.TextField()
    claimant = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(max_length=300, blank=True)
    publisher_site = models.CharField(max_length=300, blank=True)
    rating = models.CharField(max_length=300, blank=True)
    review_date = models.DateField(null=True, blank=True)
    url = models.URLField(max_length=2000, blank=True)
    title = models.CharField(max_length=500, blank=True)
    language = models.CharField(max_length=20, blank=True)
    source = models.CharField(max_length=20, choices=Origin.choices, default=Origin.IMPORTED)
    # sha256 of the review URL and the claim text: one row per reviewed claim.
    key = models.CharField(max_length=64, unique=True)
    match_keys = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-review_date", "-created_at"]
        verbose_name = "fact-check"

    def __str__(self) -> str:
        return f"{self.publisher or 'fact-check'}: {self.claim_text[:60]}"


class ClaimMatch(models.Model):
    """An earlier claim or a published fact-check that may state the same as this claim."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="matches")
    matched_claim = models.ForeignKey(
        Claim, null=True, blank=True, on_delete=models.CASCADE, related_name="matched_by"
    )
    factcheck = models.ForeignKey(
        FactCheck, null=True, blank=True, on_delete=models.CASCADE, related_name="matches"
    )
    score = models.FloatField()
    same_claim = models.BooleanField(default=False)
    # A reviewer said it is not the same claim: kept, so it is never suggested again.
    dismissed_at = models.DateTimeField(null=True, blank=True)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["claim", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["claim", "matched_claim"], name="match_unique_claim"),
            models.UniqueConstraint(fields=["claim", "factcheck"], name="match_unique_factcheck"),
            models.CheckConstraint(
                condition=Q(matched_claim__isnull=False, factcheck__isnull=True)
                | Q(matched_claim__isnull=True, factcheck__isnull=False),
                name="match_one_target",
            ),
        ]
        indexes = [models.Index(fields=["claim", "-score"], name="match_claim_score_idx")]

    def __str__(self) -> str:
        target = f"claim {self.matched_claim_id}" if self.matched_claim_id else "a fact-check"
        return f"claim {self.claim_id} ~ {target} ({self.score:.2f})"
