"""Django settings, read from the environment.

DATABASE_URL        production database (PostgreSQL); default: SQLite in FRONTDOOR_DATA_DIR
FRONTDOOR_DATA_DIR  embedded database and uploaded files (default ./var)
FRONTDOOR_SECRET_KEY, FRONTDOOR_DEBUG, FRONTDOOR_ALLOWED_HOSTS
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

PACKAGE_DIR = Path(__file__).resolve().parent
# The checkout (or the directory the demo runs in) holds node_modules and compiled assets.
PROJECT_DIR = Path(os.environ.get("FRONTDOOR_PROJECT_DIR", PACKAGE_DIR.parent.parent)).resolve()
DATA_DIR = Path(os.environ.get("FRONTDOOR_DATA_DIR", "var")).resolve()


def _flag(name: str, default: bool = False) -> bool:
    return os.environ.get(name, "1" if default else "0").lower() in {"1", "true", "yes", "on"}


DEBUG = _flag("FRONTDOOR_DEBUG")
SECRET_KEY = os.environ.get("FRONTDOOR_SECRET_KEY", "")
if not SECRET_KEY:
    # A development key: fine for the demo on 127.0.0.1, never for production.
    SECRET_KEY = "frontdoor-insecure-development-key-set-FRONTDOOR_SECRET_KEY"
ALLOWED_HOSTS = os.environ.get(
    "FRONTDOOR_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver"
).split(",")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "frontdoor.core",
    "frontdoor.council",
    "frontdoor.audit",
    "frontdoor.notifications",
    "frontdoor.accounts",
    "frontdoor.charter",
    "frontdoor.catalogue",
    "frontdoor.customers",
    "frontdoor.contacts",
    "frontdoor.cases",
    "frontdoor.appointments",
    "frontdoor.feedback",
    "frontdoor.insight",
    "frontdoor.portal",
    "frontdoor.console",
    "frontdoor.api",
    "frontdoor.open311",
    "frontdoor.ops",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "frontdoor.urls"
WSGI_APPLICATION = "frontdoor.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [],
        "APP_DIRS": True,  # each interface app keeps its pages in <app>/jinja2/
        "OPTIONS": {"environment": "frontdoor.core.templating.environment"},
    },
    {
        # Kept for the Django admin only.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    },
]

if not os.environ.get("DATABASE_URL"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'frontdoor.sqlite3'}"),
        conn_max_age=int(os.environ.get("FRONTDOOR_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker read while the other writes;
    # IMMEDIATE transactions plus a busy timeout turn lock contention into waiting, not errors.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("TEST", {})["NAME"] = None  # in-memory for tests

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    # NCSC: length over complexity rules; block common passwords.
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
LOGIN_URL = "/staff/sign-in/"

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English"), ("cy", "Cymraeg")]
# Welsh (and any other) translations: src/frontdoor/locale/<lang>/LC_MESSAGES/django.po
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "staticfiles"
NODE_MODULES = PROJECT_DIR / "node_modules"
_STATIC_SOURCES: list[Path | tuple[str, Path]] = [
    PROJECT_DIR / "static",
    ("assets", NODE_MODULES / "govuk-frontend/dist/govuk/assets"),
    ("assets", NODE_MODULES / "@ministryofjustice/frontend/moj/assets"),
    ("govuk", NODE_MODULES / "govuk-frontend/dist/govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice/frontend/moj"),
]
STATICFILES_DIRS = [
    p for p in _STATIC_SOURCES if (p if isinstance(p, Path) else p[1]).exists()
]
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "/uploads/"

# Sessions live in the database and are read through the cache (one query saved per page).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

TASKS = {
    "default": {
        "BACKEND": os.environ.get("FRONTDOOR_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

# Outgoing email by SMTP (the notifications outbox's self-hosted default provider).
EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = os.environ.get("FRONTDOOR_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("FRONTDOOR_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("FRONTDOOR_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("FRONTDOOR_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = _flag("FRONTDOOR_EMAIL_USE_TLS")
EMAIL_TIMEOUT = int(os.environ.get("FRONTDOOR_EMAIL_TIMEOUT", "30"))
DEFAULT_FROM_EMAIL = os.environ.get("FRONTDOOR_EMAIL_FROM", "no-reply@localhost")

# The council accessor re-checks which configuration version is current at most this often.
FRONTDOOR_COUNCIL_CACHE_SECONDS = float(os.environ.get("FRONTDOOR_COUNCIL_CACHE_SECONDS", "5"))

# `frontdoor run_periodic` enqueues these beside the outbox sweep: (task path, seconds).
# Inbound email: the IMAP mailbox is polled when one is configured (docs/email.md).
FRONTDOOR_PERIODIC_TASKS: list[tuple[str, float]] = []
if os.environ.get("FRONTDOOR_IMAP_HOST"):
    FRONTDOOR_PERIODIC_TASKS.append(("frontdoor.cases.tasks.poll_mailbox_task",
                                     float(os.environ.get("FRONTDOOR_IMAP_POLL_SECONDS", "60"))))
# REST API: webhook deliveries due for a retry; Idempotency-Keys older than 24 hours.
FRONTDOOR_PERIODIC_TASKS += [
    ("frontdoor.notifications.webhooks.sweep_webhooks_task", 60.0),
    ("frontdoor.api.tasks.prune_idempotency_keys_task", 3600.0),
]
# Online forms: one reminder to residents who gave an email and did not finish (hourly).
FRONTDOOR_PERIODIC_TASKS.append(
    ("frontdoor.cases.web_forms.send_abandoned_form_reminders_task", 3600.0))
# Satisfaction surveys: invite customers of newly resolved cases (every 5 minutes).
FRONTDOOR_PERIODIC_TASKS.append(("frontdoor.feedback.tasks.invite_to_surveys_task", 300.0))

# The cache holds API rate-limit buckets. Per process by default; FRONTDOOR_CACHE_URL
# (redis://host:6379/1) shares them between every web worker.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": os.environ["FRONTDOOR_CACHE_URL"]}
    if os.environ.get("FRONTDOOR_CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("FRONTDOOR_LOG_LEVEL", "INFO")},
}
