"""Settings for every deployment, read from the environment (docs/configuration.md).

Embedded by default (SQLite in WAL mode, local media, Huey on SQLite, files as the
e-mail outbox); DATABASE_URL, REDIS_URL and CLIPCONTEST_S3_* scale it out.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from clipcontest.core.config import (
    data_dir,
    env_bool,
    env_int,
    env_list,
    env_str,
    secret_key,
)

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = data_dir()

SECRET_KEY = secret_key(DATA_DIR)
DEBUG = env_bool("CLIPCONTEST_DEBUG", False)
ALLOWED_HOSTS = env_list("CLIPCONTEST_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CLIPCONTEST_CSRF_TRUSTED_ORIGINS", [])
SERVER_BIND = env_str("CLIPCONTEST_BIND", "127.0.0.1:8000")
SITE_URL = env_str("CLIPCONTEST_SITE_URL", f"http://{SERVER_BIND}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # Swagger UI for /api/v1/docs from its own static files, not a CDN
    "huey.contrib.djhuey",
    "rules.apps.AutodiscoverRulesConfig",
    "clipcontest.core",
    "clipcontest.ops",
    "clipcontest.audit",
    "clipcontest.org",
    "clipcontest.accounts",
    "clipcontest.contests",
    "clipcontest.entries",
    "clipcontest.media",
    "clipcontest.screening",
    "clipcontest.voting",
    "clipcontest.judging",
    "clipcontest.results",
    "clipcontest.cockpit",
    "clipcontest.questions",
    "clipcontest.announcements",
    "clipcontest.web",
    "clipcontest.api",
]

MIDDLEWARE = [
    "clipcontest.ops.middleware.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "clipcontest.core.admission.AdmissionMiddleware",
    "clipcontest.core.boundary.InputBoundaryMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "clipcontest.core.headers.SecurityHeadersMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "clipcontest.audit.middleware.AuditContextMiddleware",
]

ROOT_URLCONF = "clipcontest.urls"
WSGI_APPLICATION = "clipcontest.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {
        "default": dj_database_url.parse(
            DATABASE_URL,
            conn_max_age=env_int("CLIPCONTEST_DB_CONN_MAX_AGE", 60),
            conn_health_checks=True,
        )
    }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "clipcontest.sqlite3"),
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes the write
                # lock at BEGIN so two writers queue instead of failing half-way.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, queue ---------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL")
# The worker logs warnings and errors (a line per task buries the console);
# CLIPCONTEST_WORKER_VERBOSE=1 logs every task again.
_CONSUMER = {
    "workers": env_int("CLIPCONTEST_WORKERS", 2),
    "worker_type": "thread",
    "verbose": env_bool("CLIPCONTEST_WORKER_VERBOSE", False),
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "clipcontest",
        }
    }
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": env_str("CLIPCONTEST_QUEUE_NAME", "clipcontest"),
        "url": REDIS_URL,
        "immediate": False,
        "consumer": _CONSUMER,
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "clipcontest",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": False,
        "consumer": _CONSUMER,
    }

# --- Storage --------------------------------------------------------------------------
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise expects it even before collectstatic
STATIC_URL = "/static/"
S3_BUCKET = env_str("CLIPCONTEST_S3_BUCKET")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("CLIPCONTEST_S3_ENDPOINT_URL") or None,
            "access_key": env_str("CLIPCONTEST_S3_ACCESS_KEY") or None,
            "secret_key": env_str("CLIPCONTEST_S3_SECRET_KEY") or None,
            "region_name": env_str("CLIPCONTEST_S3_REGION") or None,
            "addressing_style": env_str("CLIPCONTEST_S3_ADDRESSING_STYLE", "path"),
            "querystring_auth": True,
            "file_overwrite": False,
            "default_acl": None,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_ROOT), "base_url": MEDIA_URL},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- E-mail and SMS -------------------------------------------------------------------
OUTBOX_DIR = DATA_DIR / "outbox"
EMAIL_HOST = env_str("CLIPCONTEST_EMAIL_HOST")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("CLIPCONTEST_EMAIL_PORT", 587)
    EMAIL_HOST_USER = env_str("CLIPCONTEST_EMAIL_USER")
    EMAIL_HOST_PASSWORD = env_str("CLIPCONTEST_EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("CLIPCONTEST_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "clipcontest.core.outbox.OutboxEmailBackend"
DEFAULT_FROM_EMAIL = env_str("CLIPCONTEST_FROM_EMAIL", "clipcontest <no-reply@localhost>")

# --- Auth -----------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
INVITATION_MAX_AGE_DAYS = env_int("CLIPCONTEST_INVITATION_DAYS", 14)
API_TOKEN_MAX_AGE_DAYS = env_int("CLIPCONTEST_API_TOKEN_DAYS", 90)

# --- Language and time ----------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("CLIPCONTEST_TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_I18N = True
USE_TZ = True

# --- Security defaults (HTTPS ones are switched on by CLIPCONTEST_HTTPS) ----------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
HTTPS = env_bool("CLIPCONTEST_HTTPS", False)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("CLIPCONTEST_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("CLIPCONTEST_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CLIPCONTEST_HSTS_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("CLIPCONTEST_HSTS_PRELOAD", False)
BEHIND_PROXY = env_bool("CLIPCONTEST_BEHIND_PROXY", False)
#: How many reverse proxies append to X-Forwarded-For in front of the app (0: none).
TRUSTED_PROXIES = env_int("CLIPCONTEST_TRUSTED_PROXIES", 1 if BEHIND_PROXY else 0)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = True
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
# Content-Security-Policy (clipcontest.core.headers): no inline script or style anywhere.
# Videos and posters may come from the S3 endpoint (signed redirects).
_MEDIA_ORIGINS = env_list(
    "CLIPCONTEST_CSP_MEDIA_ORIGINS",
    [env_str("CLIPCONTEST_S3_ENDPOINT_URL") or "https://*.amazonaws.com"] if S3_BUCKET else [],
)
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:", *_MEDIA_ORIGINS],
    "media-src": ["'self'", *_MEDIA_ORIGINS],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
#: Who may show the winners' library player in a frame (the embed page only).
EMBED_FRAME_ANCESTORS = env_list("CLIPCONTEST_EMBED_FRAME_ANCESTORS", ["*"])
PERMISSIONS_POLICY: dict[str, list[str]] = {
    "accelerometer": [],
    "camera": [],
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "usb": [],
    "fullscreen": ["self"],
    "picture-in-picture": ["self"],
}

# --- Web server -----------------------------------------------------------------------
SERVER_WORKERS = env_int("CLIPCONTEST_WEB_WORKERS", 2)
SERVER_THREADS = env_int("CLIPCONTEST_WEB_THREADS", 4)
#: Seconds a stop or a reload leaves to requests (and tasks) in flight.
SERVER_GRACEFUL_TIMEOUT = env_int("CLIPCONTEST_GRACEFUL_TIMEOUT", 20)

#: Bearer token that opens /metrics (the endpoint answers 404 while it is empty).
METRICS_TOKEN = env_str("CLIPCONTEST_METRICS_TOKEN")
LOG_FORMAT = env_str("CLIPCONTEST_LOG_FORMAT", "plain")
if LOG_FORMAT not in {"plain", "json"}:
    raise ValueError(f"CLIPCONTEST_LOG_FORMAT must be plain or json, got {LOG_FORMAT!r}")
# Per-worker admission limit on the expensive routes (core/admission.py): at most this
# many in flight per worker, the rest answered 503 + Retry-After at once; 0 turns it off.
ADMISSION_LIMIT = env_int("CLIPCONTEST_ADMISSION_LIMIT", max(1, SERVER_THREADS - 1))
ADMISSION_PATHS = env_list(
    "CLIPCONTEST_ADMISSION_PATHS",
    [r"/api/v1/voting/[^/]+/votes$", r"/api/v1/voting/codes", r"/contests/[^/]+/vote/"],
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        "json": {"()": "clipcontest.core.jsonlog.JsonFormatter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("CLIPCONTEST_LOG_LEVEL", "INFO")},
    # The Huey consumer installs its own handler; don't print its lines twice.
    "loggers": {"huey": {"level": "INFO", "propagate": False}},
}
