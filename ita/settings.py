"""Settings for the ITA measures project, read from the environment.

Development defaults need no service: SQLite under var/, tasks run in-process.
Production (DEBUG=0) refuses the development secret key and a local SITE_URL.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

# pythainlp creates ~/pythainlp-data when first imported and may download corpora later. We use only
# the dictionary inside its package, so it is told to write nothing and fetch nothing: a process whose
# home is read-only (the image's user) or absent must start. An explicit environment value wins.
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
os.environ.setdefault("PYTHAINLP_OFFLINE", "1")


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = env_bool("DEBUG", True)

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"  # noqa: S105 - refused when DEBUG is off
SECRET_KEY = os.environ.get("SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
# Full origins ("https://ita.example.go.th") allowed to POST forms, when the site has several names.
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# How many reverse proxies in front of the app append to X-Forwarded-For (and set X-Forwarded-Proto).
# 0 means none: their headers are then ignored, since any client could send them.
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "import_export",
    "ita",
    "measures",
    "reports",
]

MIDDLEWARE = [
    "ita.logs.RequestIdMiddleware",
    # Before anything reads the database: odd paths and query values get 400 (ita.web.guards).
    "ita.web.guards.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a locked login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ita.urls"

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
            ],
        },
    },
]

WSGI_APPLICATION = "ita.wsgi.application"
ASGI_APPLICATION = "ita.asgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'ita.sqlite3'}"
if DATABASE_URL.startswith("sqlite"):
    VAR_DIR.mkdir(exist_ok=True)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's username/password check, refusing a (username, address) pair after repeated failures.
# Login throttling: django-axes, first among the backends so that every login form (the site's and
# the admin's) obeys it. Failures count per (username, address) pair (ita/accounts/throttle.py):
# LOGIN_THROTTLE_LIMIT failures within LOGIN_THROTTLE_LOCKOUT seconds lock the pair for that long.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
LOGIN_THROTTLE_LIMIT = int(os.environ.get("LOGIN_THROTTLE_LIMIT", "5"))
LOGIN_THROTTLE_LOCKOUT = int(os.environ.get("LOGIN_THROTTLE_LOCKOUT", "900"))
AXES_FAILURE_LIMIT = LOGIN_THROTTLE_LIMIT
AXES_COOLOFF_TIME = timedelta(seconds=LOGIN_THROTTLE_LOCKOUT)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "ita.accounts.throttle.client_address"
AXES_USERNAME_CALLABLE = "ita.accounts.throttle.username_key"
AXES_LOCKOUT_CALLABLE = "ita.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
# Only failures are kept (the lockouts an administrator may lift), not a log of every login.
AXES_DISABLE_ACCESS_LOG = True
# The admin shows lockouts through ita's own Thai admin (ita.admin.LoginLockoutAdmin).
AXES_ENABLE_ADMIN = False

# Django's four password rules, with their messages in Thai (ita/accounts/passwords.py).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "ita.accounts.passwords.UserAttributeSimilarityValidator"},
    {"NAME": "ita.accounts.passwords.MinimumLengthValidator"},
    {"NAME": "ita.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "ita.accounts.passwords.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# Uploaded files are rows in the database (ita.storage.files) in every environment, so development and
# tests run the storage production runs, and no web or worker process keeps files on its own disk:
# there is no MEDIA_ROOT to share between machines or to back up apart from PostgreSQL. Files have no
# public URL; views that check access serve them.
STORAGES = {
    "default": {"BACKEND": "ita.storage.files.DatabaseStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Evidence files of progress entries, per organisation (measures.progress); 500 MB unless set.
ORG_ATTACHMENT_QUOTA_BYTES = int(os.environ.get("ORG_ATTACHMENT_QUOTA_BYTES", str(500 * 1024 * 1024)))
# Import uploads (ita.importers.retention): a job's upload and error list are deleted this many days
# after the job ends (a refused, failed or cancelled upload's bytes at once); the bytes one user, and one
# organisation, may upload within 24 hours (0 turns that quota off).
IMPORT_RETENTION_DAYS = int(os.environ.get("IMPORT_RETENTION_DAYS", "30"))
IMPORT_QUOTA_USER_BYTES = int(os.environ.get("IMPORT_QUOTA_USER_BYTES", str(200 * 1024 * 1024)))
IMPORT_QUOTA_ORG_BYTES = int(os.environ.get("IMPORT_QUOTA_ORG_BYTES", str(300 * 1024 * 1024)))

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "ita:home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60  # a reset link works for two hours
# Reset requests (ita.accounts.resets): at most PASSWORD_RESET_LIMIT_PER_ADDRESS mails to one e-mail
# address, and PASSWORD_RESET_LIMIT_PER_CLIENT requests from one client address, per
# PASSWORD_RESET_WINDOW seconds. Beyond them the page answers as usual and sends nothing.
PASSWORD_RESET_LIMIT_PER_ADDRESS = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_ADDRESS", "3"))
PASSWORD_RESET_LIMIT_PER_CLIENT = int(os.environ.get("PASSWORD_RESET_LIMIT_PER_CLIENT", "20"))
PASSWORD_RESET_WINDOW = int(os.environ.get("PASSWORD_RESET_WINDOW", "3600"))

# Requests whose path or a query value is longer than these answer 400 (ita.web.guards), as do
# control characters (NUL first) in either.
REQUEST_PATH_MAX_LENGTH = int(os.environ.get("REQUEST_PATH_MAX_LENGTH", "2000"))
QUERY_VALUE_MAX_LENGTH = int(os.environ.get("QUERY_VALUE_MAX_LENGTH", "1000"))

# E-mail (password reset, notifications): printed to the console in development (DEBUG), SMTP from the
# environment in production; EMAIL_BACKEND overrides either.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ITA <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: with no broker configured, tasks run synchronously in-process.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND", "") or None
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TIMEZONE = TIME_ZONE

# Celery messages are JSON only: a worker never unpickles what it takes from the broker.
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
# A worker or beat started with LIVENESS_FILE set touches that file while it works (ita/celery.py); the
# container health check looks at the file's age instead of starting a Celery client.
LIVENESS_FILE = os.environ.get("LIVENESS_FILE", "")

# Cache: Redis when REDIS_URL is set (redis://:password@host:6379/1), local memory otherwise. Values
# are stored as JSON, never pickled (ita/storage/cache.py), so what Redis hands back cannot run code.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"serializer": "ita.storage.cache.JSONSerializer"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
# A refused form gets a Thai page that offers back what was typed (ita.views.csrf_failure).
CSRF_FAILURE_VIEW = "ita.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# Content-Security-Policy (django-csp 4), in every environment so that development shows what production
# would block: no inline scripts or styles, nothing from other sites, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}

if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Container and load-balancer probes speak plain HTTP to the app itself.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if TRUSTED_PROXY_COUNT:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # Static files: WhiteNoise serves them from gunicorn with far-future caching of hashed names and
    # pre-compressed copies. That keeps the deployment one container with no shared static volume,
    # and works behind whatever TLS proxy an อปท. or its host already runs (they vary and are not ours).
    # Development and tests keep Django's plain storage, so no collectstatic is needed there.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
        "whitenoise.middleware.WhiteNoiseMiddleware",
    )
    STORAGES["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}

# Logs go to stdout; in production one JSON object per line (for the host's log collector), with the
# request id that the RequestIdMiddleware also returns in the X-Request-ID header.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ita.logs.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "ita.logs.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint logs every layout step at INFO; only its warnings (e.g. refused URLs) matter.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        # django-axes logs every failed login at INFO; the lockouts page in the admin shows them.
        "axes": {"level": "WARNING"},
    },
}

# Framework fixtures: `grade --input` reads them directly, `seed_demo` loads them.
ITA_FRAMEWORK_FIXTURES = BASE_DIR / "fixtures" / "frameworks"

# The public address of the site: QR codes and links in documents point here. A published copy
# prints it and its QR code, so production refuses a local address (it would verify nowhere).
SITE_URL = os.environ.get("SITE_URL", "http://localhost:8000").rstrip("/")


def _is_local_address(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host in ("", "localhost") or host.endswith((".localhost", ".local")):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_private or address.is_link_local or address.is_unspecified


if not DEBUG and _is_local_address(SITE_URL):
    raise ImproperlyConfigured(
        f"SITE_URL must be the site's public address when DEBUG is off (QR codes print it), not {SITE_URL!r}."
    )

# The OIT link checker (ita/linkcheck, SECURITY.md B6) never fetches loopback addresses, except where
# this is on: tests and local demos serve their sample sites from 127.0.0.1. Production refuses it.
LINKCHECK_ALLOW_LOOPBACK = env_bool("LINKCHECK_ALLOW_LOOPBACK", False)
if not DEBUG and LINKCHECK_ALLOW_LOOPBACK:
    raise ImproperlyConfigured("LINKCHECK_ALLOW_LOOPBACK must stay off when DEBUG is off.")

# When ITAS takes OIT evidence URLs, for a framework whose dates an administrator has not entered yet
# (Framework.oit_opens / oit_closes): the (month, day) of the first and of the last day, within fiscal
# year N. January to June of fiscal year N (FRAMEWORK.md section 1) are in the Christian year N - 543;
# October to December would be in N - 544. ita.oit.window reads it.
OIT_COLLECTION_DEFAULT = ((1, 1), (6, 30))
# The OIT link health round (ita.oit.linkhealth). Every checklist of the current fiscal year and later
# is checked again once its last check is OIT_CHECK_INTERVAL_DAYS old. Beat runs ita.oit_check_due once
# an hour, so a week holds 7 × 24 = 168 runs; each run takes ceil(active / 168) + 1 due checklists,
# oldest first, "active" being the checklists of the current year and later. 8,300 organisations give
# ceil(8,300 / 168) + 1 = 51 checklists an hour, 51 × 168 = 8,568 a week: the whole country within the
# week (about 1,500 URLs an hour at ~30 each, ~250,000 a week), and the "+ 1" catches up after a missed
# run or a burst of new checklists. OIT_CHECK_BATCH_MAX caps one run whatever the count says: at 200
# checklists of up to 43 items it stays well inside the run's 50-minute limit at 2 requests per host.
OIT_CHECK_INTERVAL_DAYS = 7
OIT_CHECK_RUNS_PER_INTERVAL = OIT_CHECK_INTERVAL_DAYS * 24  # one beat run an hour (CELERY_BEAT_SCHEDULE)
OIT_CHECK_BATCH_MAX = int(os.environ.get("OIT_CHECK_BATCH_MAX", "200"))
# A person may ask for a check of a checklist once in this many seconds (the button's cool-down).
OIT_CHECK_COOLDOWN_SECONDS = int(os.environ.get("OIT_CHECK_COOLDOWN_SECONDS", "600"))

# Optional parts: each dotted path names a function returning why the part is missing ('' or None when
# present). /healthz lists them under "missing" without failing: the site runs without them.
HEALTH_OPTIONAL_CHECKS = ["reports.pdf.available.health_problem"]

# Stuck jobs are swept every five minutes by Celery beat (exactly one beat process per deployment; or
# `manage.py sweep_jobs` from cron). Redis hands an unacknowledged task back after the visibility
# timeout, which must stay above every hard task limit (25 min for imports; the worker's default in
# docker-compose.yml is lower). Follow-up reminders go out once a day, in the morning (also
# `manage.py send_reminders` from cron); a second run on the same day sends nothing new. The OIT link
# health round checks its hourly share of the checklists (OIT_CHECK_* above).
CELERY_BEAT_SCHEDULE = {
    "sweep-jobs": {"task": "ita.sweep_jobs", "schedule": 300.0},
    "purge-imports": {"task": "ita.purge_imports", "schedule": crontab(hour=3, minute=30)},
    "followup-reminders": {"task": "measures.send_followup_reminders", "schedule": crontab(hour=7, minute=0)},
    # What the OIT evidence still lacks, to each organisation's staff, on Monday mornings while ITAS
    # collects it (ita.oit.window; outside the window the run sends nothing). Once per week: a second
    # run in the same week sends nothing new (also `manage.py send_oit_digest`).
    "oit-weekly-digest": {"task": "ita.oit_weekly_digest", "schedule": crontab(day_of_week="mon", hour=7, minute=30)},
    "oit-check-due": {"task": "ita.oit_check_due", "schedule": crontab(minute=20)},
}
# Beat wakes at least this often (and touches its liveness file) even when nothing is due.
CELERY_BEAT_MAX_INTERVAL = 60
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
