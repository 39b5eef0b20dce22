from django.templatetags.static import static
from django.urls import path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without an icon link (the admin's).
    path("favicon.ico", RedirectView.as_view(url=static("claims/favicon.svg"), permanent=True)),
    path("", views.home, name="home"),
    path("articles/new", views.article_submit, name="article_submit"),
    path("articles/<int:pk>/", views.article_detail, name="article_detail"),
    path("articles/<int:pk>/progress", views.article_progress_partial, name="article_progress"),
    path("articles/<int:pk>/promote", views.article_promote, name="article_promote"),
    path("articles/<int:pk>/research", views.article_research_retry, name="article_research_retry"),
    path("queue/", views.queue, name="queue"),
    path("claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("claims/<int:pk>/evidence", views.claim_evidence, name="claim_evidence"),
    path("claims/<int:pk>/verdict", views.claim_verdict, name="claim_verdict"),
    path("claims/<int:pk>/sources", views.claim_add_sources, name="claim_add_sources"),
    path(
        "claims/<int:pk>/sources/<int:source_id>/retry",
        views.claim_source_retry,
        name="claim_source_retry",
    ),
    path(
        "claims/<int:pk>/sources/<int:source_id>/archive",
        views.claim_source_archive,
        name="claim_source_archive",
    ),
    path("claims/<int:pk>/by-hand", views.claim_add_by_hand, name="claim_add_by_hand"),
    path("claims/<int:pk>/research", views.claim_research_retry, name="claim_research_retry"),
    path("claims/<int:pk>/assign", views.claim_assign, name="claim_assign"),
    path("claims/<int:pk>/edit", views.claim_edit, name="claim_edit"),
    path(
        "claims/<int:pk>/matches/<int:match_pk>/cite",
        views.claim_match_cite_view,
        name="claim_match_cite",
    ),
    path(
        "claims/<int:pk>/matches/<int:match_pk>/dismiss",
        views.claim_match_dismiss_view,
        name="claim_match_dismiss",
    ),
    path("sources/<int:pk>/", views.source_detail, name="source_detail"),
    path("snapshots/<int:pk>/", views.snapshot_detail, name="snapshot_detail"),
]
