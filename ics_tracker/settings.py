"""Settings for ICS Tracker, read from the environment.

Every setting a deployment changes comes from an environment variable, documented in
`.env.example`. Development defaults are safe: SQLite, tasks run in-process, and a secret key
generated once per checkout. A production deployment (DJANGO_DEBUG unset) without a secret key
fails loudly instead of running with a guessable one.
"""

import base64
import datetime as dt
import hashlib
import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG")


def _secret_key() -> str:
    key = os.environ.get("DJANGO_SECRET_KEY", "")
    if key:
        return key
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it in the environment (see .env.example), "
            "or set DJANGO_DEBUG=1 for a development checkout."
        )
    # Development only: one random key per checkout, kept out of git, so sessions survive a
    # restart without anyone sharing a fixed key.
    key_file = BASE_DIR / "var" / "dev_secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(exist_ok=True)
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "django_tables2",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "core",
    "systems",
    "maturity",
    "finance",
    "performance",
    "reports",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Outside everything that writes the page (core.as_at adds the date to its links first).
    "core.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "core.as_at.AsAtMiddleware",
    "core.caching.DataVersionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ics_tracker.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "core.as_at.as_at_context",
            ],
        },
    },
]

WSGI_APPLICATION = "ics_tracker.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # The dashboard's queries are many small correlated subqueries; PostgreSQL's JIT costs
    # more to compile them than it saves (measured: 300 ms with JIT, 87 ms without, for the
    # all-systems control-total query).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # Refuses sign-in while an account and address are locked out, before checking passwords.
    "axes.backends.AxesStandaloneBackend",
    # Django's model backend, reading permissions in one query (systems.access).
    "systems.access.PermissionsInOneQueryBackend",
]

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT failed sign-ins for one username
# from one address, that pair is refused for AXES_COOLOFF_TIME. Keyed on the pair, so nobody
# can lock a colleague out from elsewhere by guessing at their username.
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = dt.timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "systems.access.locked_out"
# The client's address: REMOTE_ADDR, or behind DJANGO_TRUSTED_PROXY_COUNT reverse proxies the
# address that many hops from the right of X-Forwarded-For (systems.access.client_ip).
AXES_CLIENT_IP_CALLABLE = "systems.access.client_ip"
TRUSTED_PROXY_COUNT = int(os.environ.get("DJANGO_TRUSTED_PROXY_COUNT", "0"))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The map boundaries (systems/maps.py) are served as static files too: pages' maps fetch them.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("boundaries", BASE_DIR / "systems" / "reference_data" / "boundaries"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG


def _csp_hash(text: str) -> str:
    digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
    return f"'sha256-{digest}'"


# No inline style is ours. plotly.js needs three, each allowed narrowly rather than with
# 'unsafe-inline' (tests/browser fail on any policy violation in the console):
# - it writes its stylesheet (hover labels, cursors, drag layers) with insertRule into
#   <style id="plotly.js-style-global">, creating it if the page has none: base.html provides
#   it, empty, carrying this response's nonce;
# - colour bars clear their rectangles' style attribute (style="");
# - heat maps drawn as an image set this fixed image-rendering style on it.
PLOTLY_HEATMAP_IMAGE_STYLE = "".join(
    f"image-rendering: {value}; "
    for value in (
        "optimizeSpeed",
        "-moz-crisp-edges",
        "-o-crisp-edges",
        "-webkit-optimize-contrast",
        "optimize-contrast",
        "crisp-edges",
        "pixelated",
    )
)
# django-simple-history's admin history page has one style attribute of its own.
STYLE_ATTRIBUTE_HASHES = [
    _csp_hash(""),
    _csp_hash(PLOTLY_HEATMAP_IMAGE_STYLE),
    _csp_hash("border-top: 0"),
]

# Every script is a static file served by the app itself: no inline script, no CDN.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    # Style attributes: only the fixed values named above, allowed by their hashes.
    "style-src-attr": [CSP.UNSAFE_HASHES, *STYLE_ATTRIBUTE_HASHES],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    # Production is served over HTTPS only. Behind a reverse proxy that ends TLS, set
    # DJANGO_BEHIND_PROXY=1 so the proxy's X-Forwarded-Proto says whether the request was HTTPS
    # (the proxy must set that header itself, overwriting any the client sent).
    SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
    if env_bool("DJANGO_BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Celery: with no broker configured, tasks run in-process (the embedded default).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")


def cache_settings(cache_url: str) -> dict:
    """Django's CACHES for a deployment: Redis, through Django's own backend, when it has one
    (DJANGO_CACHE_URL, else a redis:// Celery broker, so one Redis serves both), shared by every
    web worker, so a cold page is paid for once; else each process's own memory, the embedded
    default."""
    if cache_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": cache_url,
                "KEY_PREFIX": "ics-tracker",
            }
        }
    return {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


CACHE_URL = os.environ.get("DJANGO_CACHE_URL", "") or (
    CELERY_BROKER_URL if CELERY_BROKER_URL.startswith(("redis://", "rediss://")) else ""
)
CACHES = cache_settings(CACHE_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
# After a data change, a Celery worker renders the common pages into the shared cache
# (systems.warming), so no user pays for the cold page. On by default exactly when there is
# both a shared cache and a worker: a worker could only fill its own memory otherwise, and
# in-process it would make the request that wrote the data wait for it.
PAGES_WARMED_AFTER_CHANGE = env_bool(
    "DJANGO_WARM_PAGES", bool(CACHE_URL) and not CELERY_TASK_ALWAYS_EAGER
)
# With no broker, a board summary requested in the browser is built in a background thread of
# the web process, so the page can show its progress; off (0), it is built within the request.
REPORTS_BUILD_IN_THREAD = env_bool("REPORTS_BUILD_IN_THREAD", True)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Task state lives in the database (e.g. reports.BoardSummary), so no result backend is kept.
CELERY_TASK_IGNORE_RESULT = True
# With Redis, a message taken but never acknowledged (its worker was killed) is handed out
# again after this many seconds. A board summary does not wait for it: its build's heartbeat
# falls silent and the watchdog queues it again within REPORTS_STALL_SECONDS. Keep it above the
# longest task's hard time limit all the same: a live task's message handed out again is
# skipped (its build is alive), and would then not come back if that worker died later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
# How often, in seconds, a worker looks for such messages (kombu's default is about every
# 100 s); unset keeps the default.
if os.environ.get("CELERY_RESTORE_INTERVAL"):
    CELERY_BROKER_TRANSPORT_OPTIONS |= {
        "unacked_restore_interval": int(os.environ["CELERY_RESTORE_INTERVAL"]),
        "unacked_restore_throttle": 1,
    }

# Generated files (board summaries). Nothing here is served as a public URL: downloads go
# through login-protected views.
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", "") or BASE_DIR / "var" / "media")

# Board summaries (reports/). Charts are drawn by a headless Chromium that is never
# downloaded: the one named here, or (unset) Debian's, looked for when each build starts.
REPORTS_BROWSER_PATH = os.environ.get("REPORTS_BROWSER_PATH", "")
REPORTS_CHARTS = env_bool("REPORTS_CHARTS", True)  # off: documents without chart images
REPORTS_CHART_TIMEOUT = 60  # seconds for one chart image
REPORTS_TASK_SOFT_TIME_LIMIT = int(os.environ.get("REPORTS_TASK_SOFT_TIME_LIMIT", "300"))
REPORTS_TASK_TIME_LIMIT = REPORTS_TASK_SOFT_TIME_LIMIT + 60
# A build says it is alive at every step (its heartbeat). One silent for this many seconds is
# taken as stopped (its worker was killed, or its thread died with the web process) and queued
# again, at most REPORTS_STALL_RESTARTS times, then failed; one queued this long that no worker
# started is failed. It must exceed the longest step: drawing the charts (each up to
# REPORTS_CHART_TIMEOUT; seconds in practice) or laying out the largest PDF (about 10 s).
# Checked whenever a summary's page or status is polled, when a worker starts, by the
# `reports.recover_stalled_builds` task (every minute, if celery beat runs) and by
# `manage.py recover_board_summaries`.
REPORTS_STALL_SECONDS = int(os.environ.get("REPORTS_STALL_SECONDS", "180"))
REPORTS_STALL_RESTARTS = int(os.environ.get("REPORTS_STALL_RESTARTS", "2"))
CELERY_BEAT_SCHEDULE = {
    "recover-stalled-board-summaries": {
        "task": "reports.recover_stalled_builds",
        "schedule": 60.0,
    },
}

DJANGO_TABLES2_TEMPLATE = "_components/table.html"

# The read API (api/): JSON only, read only, for users holding the dashboard's view right,
# signed in by a personal token (Authorization: Bearer ...) or, in a browser, by their session.
# Each user may make API_RATE_LIMIT requests (DRF's rate syntax: 1000/hour, 50/minute ...),
# counted in Django's cache: with several web processes, configure a cache they share.
API_RATE_LIMIT = os.environ.get("DJANGO_API_RATE_LIMIT", "1000/hour")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a request without credentials is answered 401 naming the Bearer scheme.
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.HasViewRight"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerUserThrottle"],
    # No browsable API: it would be a second, unstyled site with its own scripts.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "ICS Tracker read API",
    "DESCRIPTION": (
        "Read-only JSON for England's local health systems: systems and their members as at "
        "a date, designation waves, maturity ratings, performance league tables and trends, "
        "and control totals. Each endpoint returns the rows of the matching dashboard page's "
        "table, equal to that page's CSV export for the same parameters."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["api.permissions.HasViewRight"],
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # In the URLconf's order, parameters as each view lists them (the address's first).
    "SORT_OPERATIONS": False,
    "SORT_OPERATION_PARAMETERS": False,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # The board summaries' PDF and chart libraries narrate every step at INFO.
    "loggers": {
        name: {"level": "WARNING"}
        for name in ("weasyprint", "fontTools", "kaleido", "choreographer", "logistro")
    },
}
