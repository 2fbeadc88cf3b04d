"""Settings, read from the environment.

Defaults are safe for production (DEBUG off, no hosts allowed but loopback, a secret
key required) except where `giamsat demo` sets them for a local trial.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("GIAMSAT_DATA_DIR", "var")).resolve()

DEBUG = env_bool("GIAMSAT_DEBUG")
# `giamsat demo` writes a random key into the data directory; production sets the variable.
SECRET_KEY_FILE = DATA_DIR / "secret_key"
SECRET_KEY = os.environ.get("GIAMSAT_SECRET_KEY", "")
if not SECRET_KEY and SECRET_KEY_FILE.exists():
    SECRET_KEY = SECRET_KEY_FILE.read_text().strip()
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "GIAMSAT_SECRET_KEY is not set. Set it to a long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "run `giamsat demo` for a local trial, or set GIAMSAT_DEBUG=1."
        )
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("GIAMSAT_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("GIAMSAT_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "simple_history",
    "axes",
    "ninja",
    "django_tasks",
    "django_tasks_db",  # the job queue's table: background jobs survive a restart
    "giamsat",  # project-wide management commands: demo, serve, export
    "giamsat.orgs",
    "giamsat.directives",
    "giamsat.tasks",
    "giamsat.indicators",
    "giamsat.ingest",
    "giamsat.accounts",
    "giamsat.reporting",
    "giamsat.reports",
    "giamsat.api",
    "giamsat.notify",
    "giamsat.difficulties",
    "giamsat.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "giamsat.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the body: an oversized upload is refused unread.
    "giamsat.web.middleware.UploadSizeMiddleware",
    "giamsat.web.middleware.ApiErrorShapeMiddleware",
    "giamsat.web.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "giamsat.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Every page needs a signed-in user unless its view says otherwise (the login page).
    "giamsat.web.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "giamsat.urls"
WSGI_APPLICATION = "giamsat.wsgi.application"

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
                "giamsat.web.context.navigation",
            ],
        },
    },
]


def database_config() -> dict:
    url = os.environ.get("GIAMSAT_DATABASE_URL")
    if url:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    else:
        config = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DATA_DIR / "giamsat.sqlite3")}
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers run beside the one writer; IMMEDIATE takes the write lock at
        # BEGIN so that two writers queue instead of failing half-way with "locked".
        config.setdefault("OPTIONS", {}).update(
            {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
    return config


DATABASES = {"default": database_config()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    # django-axes first: it refuses a locked-out user before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Django's Vietnamese formats, with thousands grouped (8.743): giamsat/formats/vi/.
FORMAT_MODULE_PATH = ["giamsat.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Static files are served by the application itself (no CDN, no separate web server
# needed); WhiteNoise reads them from the apps so no collectstatic step is required.
# A deployment that prefers collected files sets GIAMSAT_STATIC_ROOT and runs collectstatic.
STATIC_ROOT = os.environ.get("GIAMSAT_STATIC_ROOT") or None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
# Evidence files are served by a view that checks access, never straight from MEDIA_ROOT.
MEDIA_URL = "/media-not-served/"

# Upload limits: a whole request, an evidence file, an imported document (in megabytes).
MAX_REQUEST_MB = int(os.environ.get("GIAMSAT_MAX_REQUEST_MB", "60"))
# The longest API URL (path and query string) answered; longer is a 414 (web/middleware.py).
MAX_API_URL_CHARS = 2048
# API requests a minute per token or user (api/ratelimit.py, counted in the database).
API_RATE_PER_MINUTE = int(os.environ.get("GIAMSAT_API_RATE_PER_MINUTE", "600"))
MAX_EVIDENCE_MB = int(os.environ.get("GIAMSAT_MAX_EVIDENCE_MB", "20"))
MAX_IMPORT_MB = int(os.environ.get("GIAMSAT_MAX_IMPORT_MB", "50"))
# What reading one imported document may cost (ingest/sources.py), checked before the
# work: lines of its text; what a .docx/.xlsx inflates to (all members, and XML parts,
# which are what python-docx and openpyxl hold in memory); pages of a PDF.
IMPORT_MAX_LINES = int(os.environ.get("GIAMSAT_IMPORT_MAX_LINES", "200000"))
IMPORT_MAX_UNZIPPED_MB = int(os.environ.get("GIAMSAT_IMPORT_MAX_UNZIPPED_MB", "200"))
IMPORT_MAX_XML_MB = int(os.environ.get("GIAMSAT_IMPORT_MAX_XML_MB", "40"))
IMPORT_MAX_PDF_PAGES = int(os.environ.get("GIAMSAT_IMPORT_MAX_PDF_PAGES", "500"))
# LibreOffice converting a .doc/.odt/.rtf before it is read.
IMPORT_CONVERT_TIMEOUT = int(os.environ.get("GIAMSAT_IMPORT_CONVERT_TIMEOUT", "120"))
FILE_UPLOAD_PERMISSIONS = 0o640

# A file cache shared by all server processes: import progress, small derived figures.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache"),
    }
}
# The dashboard's figures are cached per data version (derived.py).
DERIVED_CACHE = env_bool("GIAMSAT_DERIVED_CACHE", True)
# Imports, reports and queued reminders are background jobs (jobs.py): a row in the
# database's job queue, run by `giamsat worker` (which `giamsat serve` starts beside the web
# server), so that they survive a restart and never slow the web processes down. Several
# servers share the queue through the database (PostgreSQL). Tests run jobs inside the
# request (GIAMSAT_JOBS_INLINE=1: Django's immediate backend).
JOBS_INLINE = env_bool("GIAMSAT_JOBS_INLINE")
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "inline": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
}
# How often an idle worker looks for a new job, and looks for jobs of workers that died.
JOBS_POLL_SECONDS = float(os.environ.get("GIAMSAT_JOBS_POLL_SECONDS", "1"))
JOBS_REAP_SECONDS = float(os.environ.get("GIAMSAT_JOBS_REAP_SECONDS", "10"))
# Workers `giamsat serve` starts beside gunicorn (0: none; run `giamsat worker` elsewhere).
SERVE_JOB_WORKERS = int(os.environ.get("GIAMSAT_JOB_WORKERS", "1"))

LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "web:dashboard"
LOGOUT_REDIRECT_URL = "web:login"
SESSION_COOKIE_AGE = int(os.environ.get("GIAMSAT_SESSION_HOURS", "8")) * 3600
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Login rate limiting (django-axes): after 5 wrong passwords for one user from one
# address, that pair waits 15 minutes; every attempt is logged.
AXES_FAILURE_LIMIT = int(os.environ.get("GIAMSAT_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("GIAMSAT_LOCKOUT_MINUTES",
                                                                  "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "web/lockout.html"
AXES_IPWARE_PROXY_COUNT = int(os.environ.get("GIAMSAT_PROXY_COUNT", "0"))

# A report's task grid sends 7 fields a row: a ministry leading 170 tasks sends about
# 1,200, past Django's default of 1,000 (web/report_forms.py); 10,000 allows 1,400 rows.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

# Production hardening; the plain-HTTP local demo sets GIAMSAT_SECURE_COOKIES=0.
SESSION_COOKIE_SECURE = env_bool("GIAMSAT_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Behind a TLS proxy: GIAMSAT_HSTS_SECONDS=31536000 and GIAMSAT_BEHIND_TLS_PROXY=1.
SECURE_HSTS_SECONDS = int(os.environ.get("GIAMSAT_HSTS_SECONDS", "0"))
if env_bool("GIAMSAT_BEHIND_TLS_PROXY"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Only the project's own scripts, styles, images and fonts; no inline script, no frames.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GIAMSAT_LOG_LEVEL", "WARNING")},
}

# Agency reports for a month are due on this day of the following month.
REPORT_DUE_DAY = int(os.environ.get("GIAMSAT_REPORT_DUE_DAY", "5"))
# A submitted report waiting longer than this many calendar days for the standing office's
# review is flagged in the review queue (calendar days: no holiday calendar is kept).
REVIEW_OVERDUE_DAYS = int(os.environ.get("GIAMSAT_REVIEW_OVERDUE_DAYS", "5"))

# Who issues the generated reports (the header block and "Số: …/BC-…").
REPORT_ISSUER = os.environ.get("GIAMSAT_REPORT_ISSUER", "Bộ Khoa học và Công nghệ")
REPORT_ISSUER_SHORT = os.environ.get("GIAMSAT_REPORT_ISSUER_SHORT", "BKHCN")
REPORT_ISSUER_PARENT = os.environ.get("GIAMSAT_REPORT_ISSUER_PARENT", "")
REPORT_PLACE = os.environ.get("GIAMSAT_REPORT_PLACE", "Hà Nội")
REPORT_SIGNER = os.environ.get("GIAMSAT_REPORT_SIGNER", "")

# Compliance groups of the rankings (rankings/tables.py): NAME:MINIMUM pairs, an agency
# in the first group whose minimum its score reaches. By share of lead tasks due that were
# completed on time (%), and by value as a percentage of the agency's registered target.
RANKING_ON_TIME_GROUPS = os.environ.get("GIAMSAT_ON_TIME_GROUPS", "I:90,II:70,III:50,IV:0")
RANKING_TARGET_GROUPS = os.environ.get("GIAMSAT_TARGET_GROUPS", "I:100,II:80,III:50,IV:0")

# Reminders (`giamsat remind`, daily by cron): days before a deadline to remind, the address
# links in messages point to, and how mail leaves: SMTP when GIAMSAT_EMAIL_HOST is set,
# otherwise one file per message in the data directory (the demo; nothing leaves the box).
REMIND_DAYS_BEFORE = [int(n) for n in env_list("GIAMSAT_REMIND_DAYS_BEFORE", "7,1")]
BASE_URL = os.environ.get("GIAMSAT_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = os.environ.get("GIAMSAT_EMAIL_FROM", "giamsat <no-reply@localhost>")
if os.environ.get("GIAMSAT_EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["GIAMSAT_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("GIAMSAT_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("GIAMSAT_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("GIAMSAT_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("GIAMSAT_EMAIL_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(DATA_DIR / "mail")
