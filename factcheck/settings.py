"""Settings for the fact-checking service, all in one module.

Every value comes from the environment with a default that works on a fresh
machine: SQLite and a filesystem Celery broker under FACTCHECK_DATA_DIR.
Set DATABASE_URL and CELERY_BROKER_URL to use PostgreSQL and Redis.

This module only reads: importing it creates no file or folder. `manage.py bootstrap`
and `runservice` create FACTCHECK_DATA_DIR, its secret key and broker folders
(factcheck/datadir.py). Every environment variable the code uses is read here.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


DATA_DIR = Path(os.environ.get("FACTCHECK_DATA_DIR", BASE_DIR / "var")).resolve()
# Written once by `manage.py bootstrap` (factcheck/datadir.py) when SECRET_KEY is not set.
SECRET_KEY_FILE = DATA_DIR / "secret_key"


def _secret_key() -> str:
    """SECRET_KEY from the environment, else the one bootstrap kept under DATA_DIR, else "".

    Empty is not a fallback key: Django refuses to sign anything with it (sessions, CSRF,
    password resets raise ImproperlyConfigured), and the web entry points stop at start
    with a message naming the fix (factcheck/datadir.py: require_secret_key).
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    try:
        return SECRET_KEY_FILE.read_text().strip()
    except FileNotFoundError:
        return ""


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "claims.apps.EditorsAdminConfig",  # django.contrib.admin, editors only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "django_celery_beat",
    "simple_history",
    "axes",
    "claims",
    "worker",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "claims.web.middleware.ContentSecurityPolicyMiddleware",
    # Last, as django-axes asks: it answers a locked-out sign-in with 429.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"
WSGI_APPLICATION = "factcheck.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "libraries": {"claims_ui": "claims.web.templatetags.claims_ui"},
        },
    },
]

# --- Database -------------------------------------------------------------
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        # Persistent connections: a fresh one costs more than a whole fetch task's queries.
        conn_max_age=env_int("FACTCHECK_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web server, worker and beat write at once: WAL lets readers run beside a
    # writer, IMMEDIATE takes the write lock at BEGIN (no upgrade deadlocks),
    # and the timeout waits for a busy lock instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;"
        ),
    }
    # A file, not :memory:, so a worker thread in tests sees the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test_db.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("FACTCHECK_STATIC_ROOT", DATA_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Serve app static files straight from the apps when collectstatic has not run.
WHITENOISE_USE_FINDERS = True

# Sign-in throttling (django-axes): after FACTCHECK_LOGIN_FAILURE_LIMIT failed sign-ins for
# one user name from one address, that pair is locked out (HTTP 429) for the cool-off.
AUTHENTICATION_BACKENDS = [
    "claims.web.signin.SignInThrottle",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("FACTCHECK_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("FACTCHECK_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# --- Security ---------------------------------------------------------------
# FACTCHECK_HTTPS=1 behind TLS in production: secure cookies, HSTS, redirect.
HTTPS = env_bool("FACTCHECK_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("FACTCHECK_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'"
)

# --- REST framework -------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "claims.api.exceptions.api_exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check API",
    "DESCRIPTION": "Articles, claims, evidence, reviews and sources of the fact-checking service.",
    "VERSION": "1.0.0",
    # Several models have a `status` field with different choices: name each enum.
    "ENUM_NAME_OVERRIDES": {
        "ArticleStatusEnum": "claims.models.Article.Status",
        "ClaimStatusEnum": "claims.models.Claim.Status",
        "SourceStatusEnum": "claims.models.Source.Status",
    },
}

# --- Celery ---------------------------------------------------------------------
# The hard time limit of the longest task (a re-check batch); the visibility timeout and
# the sweeper's patience with fetching sources follow it.
FACTCHECK_LONGEST_TASK_SECONDS = 330
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or "filesystem://localhost/"
if CELERY_BROKER_URL.rstrip("/") == "filesystem:":
    # The transport ignores the host, but kombu warns "No hostname was supplied" on every
    # command that sends a task when the URL has none.
    CELERY_BROKER_URL = "filesystem://localhost/"
# The filesystem broker's folders; bootstrap and runservice create them.
FACTCHECK_BROKER_DIR = DATA_DIR / "broker"
if CELERY_BROKER_URL.startswith("filesystem://"):
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(FACTCHECK_BROKER_DIR / "queue"),
        "data_folder_out": str(FACTCHECK_BROKER_DIR / "queue"),
        "processed_folder": str(FACTCHECK_BROKER_DIR / "processed"),
        "control_folder": str(FACTCHECK_BROKER_DIR / "control"),
        "store_processed": False,
    }
    # The filesystem transport has no fanout exchange for remote control.
    CELERY_WORKER_ENABLE_REMOTE_CONTROL = False
else:
    # Redis redelivers a task its worker never acknowledged (killed) after this long:
    # just longer than the longest task may run, so running work is never delivered twice.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": FACTCHECK_LONGEST_TASK_SECONDS + 60}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Celery's Django fixup closes database connections around every task unless told to
# reuse them; a new connection costs more than most tasks' queries.
CELERY_DB_REUSE_MAX = env_int("FACTCHECK_CELERY_DB_REUSE_MAX", 200)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("FACTCHECK_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("FACTCHECK_TASK_TIME_LIMIT", 180)
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_QUEUES = [Queue(name) for name in ("default", "discover", "fetch", "score", "recheck")]
CELERY_TASK_ROUTES = {
    "worker.tasks.discover.*": {"queue": "discover"},
    "worker.tasks.fetch.*": {"queue": "fetch"},
    "worker.tasks.score.*": {"queue": "score"},
    "worker.tasks.recheck.*": {"queue": "recheck"},
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- The service's own knobs ---------------------------------------------------------
FACTCHECK_SEED_ARTICLE = BASE_DIR / "claims" / "demo" / "article.txt"
FACTCHECK_CHECKWORTHY_THRESHOLD = float(os.environ.get("FACTCHECK_CHECKWORTHY_THRESHOLD", "0.5"))
# Claim matching (language.matching): a match at or above the suggestion threshold is shown
# to reviewers; at or above the same-claim threshold it is marked as the same claim.
FACTCHECK_MATCH_SUGGESTION_THRESHOLD = float(
    os.environ.get("FACTCHECK_MATCH_SUGGESTION_THRESHOLD", "0.5")
)
FACTCHECK_MATCH_SAME_CLAIM_THRESHOLD = float(
    os.environ.get("FACTCHECK_MATCH_SAME_CLAIM_THRESHOLD", "0.75")
)
# A directory with model.onnx + tokenizer.json of a sentence-embeddings model (optional).
FACTCHECK_EMBEDDINGS_MODEL_DIR = os.environ.get("FACTCHECK_EMBEDDINGS_MODEL_DIR", "")
FACTCHECK_FETCH_ALLOW_PRIVATE = env_bool("FACTCHECK_FETCH_ALLOW_PRIVATE", False)
FACTCHECK_FETCH_MAX_BYTES = env_int("FACTCHECK_FETCH_MAX_BYTES", 10 * 1024 * 1024)
FACTCHECK_FETCH_TIMEOUT = float(os.environ.get("FACTCHECK_FETCH_TIMEOUT", "10"))
FACTCHECK_FETCH_DEADLINE = float(os.environ.get("FACTCHECK_FETCH_DEADLINE", "30"))
FACTCHECK_FETCH_DOMAIN_DELAY = float(os.environ.get("FACTCHECK_FETCH_DOMAIN_DELAY", "1.0"))
# Reading one fetched document (HTML, PDF, text) takes at most this long: a page over
# the budget is a recorded failure, too_complex.
FACTCHECK_EXTRACT_SECONDS = float(os.environ.get("FACTCHECK_EXTRACT_SECONDS", "10"))
# Claims kept per article (the first ones, in the article's order); the article says so.
FACTCHECK_MAX_CLAIMS_PER_ARTICLE = env_int("FACTCHECK_MAX_CLAIMS_PER_ARTICLE", 300)
# Claims per research message an article queues; the worker fans each batch out.
FACTCHECK_RESEARCH_BATCH = env_int("FACTCHECK_RESEARCH_BATCH", 25)
# Text longer than this, from the web or the API, is read by a worker, not the request.
FACTCHECK_INLINE_ARTICLE_CHARS = env_int("FACTCHECK_INLINE_ARTICLE_CHARS", 50_000)
# Work queued or started this long ago and not finished is queued again by the sweeper.
FACTCHECK_STUCK_AFTER_SECONDS = env_int("FACTCHECK_STUCK_AFTER_SECONDS", 180)
# A PEM bundle of CAs trusted instead of certifi's (a newsroom proxy or private CA).
FACTCHECK_FETCH_CA_BUNDLE = os.environ.get("FACTCHECK_FETCH_CA_BUNDLE", "")
FACTCHECK_USER_AGENT = os.environ.get(
    "FACTCHECK_USER_AGENT", "FactcheckBot/1.0 (+https://github.com/factcheck; source tracking)"
)
# `library` answers from the newsroom's own documents (nothing while the library is empty).
FACTCHECK_SEARCH_PROVIDERS = env_list("FACTCHECK_SEARCH_PROVIDERS", "library,wikipedia,gdelt")
FACTCHECK_SEARXNG_URL = os.environ.get("FACTCHECK_SEARXNG_URL", "")
FACTCHECK_WIKIPEDIA_API_URL = os.environ.get(
    "FACTCHECK_WIKIPEDIA_API_URL", "https://en.wikipedia.org/w/api.php"
)
FACTCHECK_FACTCHECKTOOLS_API_KEY = os.environ.get("FACTCHECK_FACTCHECKTOOLS_API_KEY", "")
FACTCHECK_FACTCHECKTOOLS_URL = os.environ.get(
    "FACTCHECK_FACTCHECKTOOLS_URL",
    "https://factchecktools.googleapis.com/v1alpha1/claims:search",
)
FACTCHECK_GDELT_URL = os.environ.get(
    "FACTCHECK_GDELT_URL", "https://api.gdeltproject.org/api/v2/doc/doc"
)
# Where to look up an archived copy of a source that cannot be read; the source's URL is
# appended, quoted. Answers like the Wayback Machine's availability API.
FACTCHECK_ARCHIVE_LOOKUP_URL = os.environ.get(
    "FACTCHECK_ARCHIVE_LOOKUP_URL", "https://archive.org/wayback/available?url="
)
# Two-person rule: an editor may not publish a claim whose current verdict they gave.
FACTCHECK_PUBLISH_REQUIRES_SECOND_REVIEWER = env_bool(
    "FACTCHECK_PUBLISH_REQUIRES_SECOND_REVIEWER", False
)
FACTCHECK_PUBLISHER_NAME = os.environ.get("FACTCHECK_PUBLISHER_NAME", "Fact-check desk")
FACTCHECK_PUBLISHER_URL = os.environ.get("FACTCHECK_PUBLISHER_URL", "")
# Threads one re-check batch fetches with (worker/recheck.py).
FACTCHECK_RECHECK_THREADS = env_int("FACTCHECK_RECHECK_THREADS", 16)
# Where `manage.py runservice` binds the web server.
FACTCHECK_HOST = os.environ.get("FACTCHECK_HOST", "127.0.0.1")
FACTCHECK_PORT = env_int("PORT", 8000)
# Stance back-ends (worker/stance_backends): builtin | nli | llm; nli and llm fall back to
# builtin on any failure.
FACTCHECK_STANCE_BACKEND = os.environ.get("FACTCHECK_STANCE_BACKEND", "builtin").strip().lower()
# The builtin hint reads claim and passage through the bundled sentence encoder too (about
# 20 ms of CPU per source); off: the lexical model alone (language/stance/training/README.md).
FACTCHECK_STANCE_SENTENCE_ENCODER = env_bool("FACTCHECK_STANCE_SENTENCE_ENCODER", True)
FACTCHECK_NLI_MODEL_DIR = os.environ.get("FACTCHECK_NLI_MODEL_DIR", "")
# The NLI model's output order, e.g. "contradiction,entailment,neutral"; empty: the
# id2label of the model folder's config.json.
FACTCHECK_NLI_LABELS = env_list("FACTCHECK_NLI_LABELS", "")
FACTCHECK_LLM_URL = os.environ.get("FACTCHECK_LLM_URL", "")
FACTCHECK_LLM_MODEL = os.environ.get("FACTCHECK_LLM_MODEL", "")
FACTCHECK_LLM_API_KEY = os.environ.get("FACTCHECK_LLM_API_KEY", "")
FACTCHECK_LLM_TIMEOUT = float(os.environ.get("FACTCHECK_LLM_TIMEOUT", "20"))
FACTCHECK_LLM_BUDGET = env_int("FACTCHECK_LLM_BUDGET", 100)
# The LLM endpoint is the operator's own: a private or loopback address may be allowed for
# it alone, without opening source fetching to them (FACTCHECK_FETCH_ALLOW_PRIVATE).
FACTCHECK_LLM_ALLOW_PRIVATE = env_bool("FACTCHECK_LLM_ALLOW_PRIVATE", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
