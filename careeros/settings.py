"""CareerOS settings: one module, configured by the environment.

Production differs from development only by environment variables; the README lists
them. Importing this module only reads the environment: the entry points (manage.py, the
WSGI and Celery start-ups, ./dev) start embedded servers for an unset DATABASE_URL or
REDIS_URL and export their URLs first (careeros.embedded.export_environment).
"""

from __future__ import annotations

import hmac
from datetime import timedelta
from pathlib import Path
from typing import Any

import environ
from celery.schedules import crontab

from careeros.release import source_digest

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(BASE_DIR / ".env")

DATA_DIR = Path(env.str("CAREEROS_DATA_DIR", default=str(BASE_DIR / ".data"))).resolve()

DEBUG = env.bool("DEBUG", default=False)
# Django's deploy check (security.W009) rejects this default when it reaches production.
SECRET_KEY = env.str("SECRET_KEY", default="") or "django-insecure-careeros-local-development-only"
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # First, so its migrate and flush commands (which run as the schema owner) win.
    "careeros",
    "careeros.admin.OperatorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django_htmx",
    "axes",
    "careeros.vault",
    "profiles",
    "resumes",
    "enrichment",
    "interviews",
    "merges",
    "exports",
]

MIDDLEWARE = [
    # First: load balancers probe it over plain HTTP, and it must answer while the
    # database is down.
    "careeros.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Right after authentication: everything below runs in the signed-in user's context.
    "careeros.db.middleware.RowLevelSecurityMiddleware",
    "careeros.privacy.NoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "careeros.urls"
WSGI_APPLICATION = "careeros.wsgi.application"
ASGI_APPLICATION = "careeros.asgi.application"

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
                "careeros.navigation.navigation",
            ],
        },
    },
]

# The header's main navigation (careeros.navigation): label, URL name and an optional
# dotted path to a count of the signed-in user's (shown beside the label).
NAVIGATION: list[dict[str, str]] = [
    {"label": "Dashboard", "url": "dashboard"},
    {"label": "Profile", "url": "profile_overview"},
    {"label": "Resumes", "url": "resume_index"},
    {"label": "Review", "url": "merge_review", "count": "merges.selectors.pending_count"},
    {"label": "Career story", "url": "career"},
    {"label": "Interviews", "url": "interview_index"},
    {"label": "Export", "url": "data_page"},
]

# -- Database --------------------------------------------------------------------------

# Unset only when something imports the settings without an entry point (type checkers,
# tools): they get a configuration that reads, and a system check (careeros.E009) that
# says what to do if they try to connect.
DATABASE_URL = env.str("DATABASE_URL", default="")
# The schema owner: migrate, makemigrations and flush alone connect with it
# (careeros.db.roles.owner_connection). DATABASE_URL unless set.
DATABASE_OWNER_URL = env.str("DATABASE_OWNER_URL", default="") or DATABASE_URL

# The runtime role: the application's login role (DATABASE_APP_URL) and nothing else. It is
# no superuser, has no BYPASSRLS, owns no table and is a member of no role, so no statement
# it can run (SET ROLE, RESET ROLE, SET SESSION AUTHORIZATION, ALTER TABLE) widens what it
# sees: row level security applies to everything the app does.
DATABASE_APP_ROLE = env.str("DATABASE_APP_ROLE", default="careeros_app")
# The system role, with its own login (DATABASE_SYSTEM_URL) and database alias ("system"):
# row level security lets it see every user's rows. careeros.db.rls.system_context() is the
# only way to it, for the admin site and system jobs.
DATABASE_SYSTEM_ROLE = env.str("DATABASE_SYSTEM_ROLE", default="careeros_system")
SYSTEM_DB_ALIAS = "system"


def _login_config(url: str, owner: dict[str, Any], role: str) -> dict[str, Any]:
    """DATABASES entry for a login role: its URL if given, else the owner's server and
    database with the role's name and a password derived from the owner's secret."""
    if url:
        return dict(env.db_url_config(url))
    return {**owner, "USER": role, "PASSWORD": derived_role_password(role)}


def derived_role_password(role: str) -> str:
    """The login password ``migrate`` gives ``role`` when its URL is not set: an HMAC of the
    role's name under the owner's password (or SECRET_KEY when the owner has none), so every
    process of one deployment derives the same one and nobody needs to store it."""
    secret = str(_owner.get("PASSWORD") or "") or SECRET_KEY
    return hmac.new(secret.encode(), f"careeros-login:{role}".encode(), "sha256").hexdigest()


_owner = dict(env.db_url_config(DATABASE_OWNER_URL or "postgres:///careeros"))
DATABASE_OWNER = {key: _owner.get(key) for key in ("USER", "PASSWORD", "HOST", "PORT")}
_database_app_url = env.str("DATABASE_APP_URL", default="")
_database_system_url = env.str("DATABASE_SYSTEM_URL", default="")
# The login roles without a URL of their own: migrate gives them these passwords.
DATABASE_DERIVED_PASSWORDS = {
    role: derived_role_password(role)
    for role, url in (
        (DATABASE_APP_ROLE, _database_app_url),
        (DATABASE_SYSTEM_ROLE, _database_system_url),
    )
    if not url
}
DATABASES: dict[str, dict[str, Any]] = {
    "default": _login_config(_database_app_url, _owner, DATABASE_APP_ROLE),
    SYSTEM_DB_ALIAS: _login_config(_database_system_url, _owner, DATABASE_SYSTEM_ROLE),
}
# Persistent connections: each gunicorn worker and each Celery pool process keeps its
# connections for up to CONN_MAX_AGE seconds instead of connecting (SCRAM) for every
# request; a broken one is replaced (CONN_HEALTH_CHECKS) before a request uses it. Safe with
# row level security because every RLS setting is transaction-local (careeros.db.rls). Not
# psycopg's pool: gunicorn's sync workers serve one request at a time, so a pool per process
# would hold connections nobody uses, and its threads do not survive Celery's fork.
# Connections held: two per web worker and queue process (runtime and system) + beat.
for _config in DATABASES.values():
    _config["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=600)
    _config["CONN_HEALTH_CHECKS"] = True
# In tests the system alias uses default's test database (and is flushed with it); it stays
# a connection of its own, logged in as the system role, so it sees only committed rows.
DATABASES[SYSTEM_DB_ALIAS]["TEST"] = {"MIRROR": "default"}
# Views run in a savepoint inside the transaction RowLevelSecurityMiddleware opens, so an
# exception rolls back the view's writes. The system alias opens its own in system_context.
DATABASES["default"]["ATOMIC_REQUESTS"] = True
# Inside system_context() the ORM uses the system alias, everywhere else the runtime one.
DATABASE_ROUTERS = ["careeros.db.rls.ContextRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Index names follow the seed schema (idx_work_experience_user_current…); Django's
# 30-character limit exists for Oracle, PostgreSQL allows 63.
SILENCED_SYSTEM_CHECKS = ["models.E034"]

# -- Redis: cache, Celery broker -----------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="") or "redis://127.0.0.1:6379/0"

CACHES = {
    "default": {
        "BACKEND": "careeros.cache.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "careeros",
    }
}
# Rendered markup in the cache (review cards, the dashboard's main column) is keyed by the
# release, so a deploy never serves the last one's: the deploy's own id, or else a digest of
# the templates and code on disk.
RELEASE = env.str("CAREEROS_RELEASE", default="") or source_digest(BASE_DIR)

# -- Celery ----------------------------------------------------------------------------

CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = timedelta(days=1)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=300)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=360)
# An unacknowledged task is redelivered after this; it must outlast the hard time limit
# or a long task would run twice (checked by careeros.E002).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    # A request hands work to the broker once, quickly: with Redis down or unreachable the
    # publish fails within a second and the reconciler enqueues the committed work later.
    "socket_connect_timeout": env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=1.0),
    "socket_timeout": env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=5.0),
    # kombu's own reconnection on publish (2 s and more between tries by default): none.
    "max_retries": 0,
}
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=1.0)
CELERY_TASK_PUBLISH_RETRY = False
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = env.float("CELERY_BROKER_CONNECT_TIMEOUT", default=1.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Three queues, each served by its own worker (Procfile) with its own concurrency and time
# limits, so slow AI calls never hold up an upload's progress: resume pipeline stages on
# "parsing", enrichment and interview AI calls on "ai", beat's system jobs (and anything
# not routed) on "housekeeping". CELERY_QUEUE_PREFIX renames all three (the benchmarks use
# it to stay out of a running instance's queues).
CELERY_QUEUE_PREFIX = env.str("CELERY_QUEUE_PREFIX", default="")
QUEUE_PARSING = f"{CELERY_QUEUE_PREFIX}parsing"
QUEUE_AI = f"{CELERY_QUEUE_PREFIX}ai"
QUEUE_HOUSEKEEPING = f"{CELERY_QUEUE_PREFIX}housekeeping"
# Seconds (soft, hard) for the tasks of each queue (careeros.celery.QueueTimeLimits gives
# every task its queue's); each pair is checked like the defaults above.
CELERY_QUEUE_TIME_LIMITS: dict[str, tuple[int, int]] = {
    QUEUE_PARSING: (
        env.int("PARSING_SOFT_TIME_LIMIT", default=CELERY_TASK_SOFT_TIME_LIMIT),
        env.int("PARSING_TIME_LIMIT", default=CELERY_TASK_TIME_LIMIT),
    ),
    # An AI call may take OPENAI_TIMEOUT_SECONDS and be retried OPENAI_MAX_RETRIES times;
    # the hard limit must stay below ENRICHMENT_JOB_LEASE_SECONDS (enrichment.E001).
    QUEUE_AI: (
        env.int("AI_SOFT_TIME_LIMIT", default=CELERY_TASK_SOFT_TIME_LIMIT),
        env.int("AI_TIME_LIMIT", default=CELERY_TASK_TIME_LIMIT),
    ),
    QUEUE_HOUSEKEEPING: (
        env.int("HOUSEKEEPING_SOFT_TIME_LIMIT", default=CELERY_TASK_SOFT_TIME_LIMIT),
        env.int("HOUSEKEEPING_TIME_LIMIT", default=CELERY_TASK_TIME_LIMIT),
    ),
}
# Exact names first, then patterns in order (Celery's glob routes).
CELERY_TASK_ROUTES = {
    "resumes.tasks.resume_versions_reconcile": {"queue": QUEUE_HOUSEKEEPING},
    "enrichment.tasks.enrichment_jobs_reconcile": {"queue": QUEUE_HOUSEKEEPING},
    "interviews.tasks.interviews_nightly": {"queue": QUEUE_HOUSEKEEPING},
    "careeros.vault.tasks.*": {"queue": QUEUE_HOUSEKEEPING},
    "resumes.tasks.*": {"queue": QUEUE_PARSING},
    "enrichment.tasks.*": {"queue": QUEUE_AI},
    "interviews.tasks.*": {"queue": QUEUE_AI},
}
CELERY_TASK_DEFAULT_QUEUE = QUEUE_HOUSEKEEPING
CELERY_TASK_ANNOTATIONS = ["careeros.celery.QueueTimeLimits"]
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {}

# -- Resume uploads ------------------------------------------------------------------------

# Refused before the body is buffered (resumes.files.SizeCappedUploadHandler).
RESUME_MAX_UPLOAD_BYTES = env.int("RESUME_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
RESUME_MAX_FILES_PER_UPLOAD = env.int("RESUME_MAX_FILES_PER_UPLOAD", default=10)
# All files of one request together, and all of a person's stored originals: both refused
# from the declared Content-Length before the body is read, and cut while it streams.
RESUME_MAX_REQUEST_BYTES = env.int("RESUME_MAX_REQUEST_BYTES", default=25 * 1024 * 1024)
RESUME_STORAGE_QUOTA_BYTES = env.int("RESUME_STORAGE_QUOTA_BYTES", default=250 * 1024 * 1024)
# Checked on a DOCX's zip directory before python-docx inflates anything.
RESUME_DOCX_LIMITS = {
    "max_entries": env.int("RESUME_DOCX_MAX_ENTRIES", default=1000),
    "max_uncompressed_bytes": env.int("RESUME_DOCX_MAX_UNCOMPRESSED_BYTES", default=100 * 2**20),
    "max_ratio": env.int("RESUME_DOCX_MAX_RATIO", default=100),
    # Parts smaller than this may compress as well as they like (XML of empty tables does).
    "ratio_floor_bytes": 1024 * 1024,
}
# Checked on a LinkedIn data export's zip directory before any CSV is inflated.
RESUME_ZIP_LIMITS = {
    "max_entries": env.int("RESUME_ZIP_MAX_ENTRIES", default=500),
    "max_uncompressed_bytes": env.int("RESUME_ZIP_MAX_UNCOMPRESSED_BYTES", default=100 * 2**20),
    "max_ratio": env.int("RESUME_ZIP_MAX_RATIO", default=100),
    "ratio_floor_bytes": 1024 * 1024,
}
# The parsing child process (resumes.sandbox): memory above what the worker already uses,
# CPU seconds, and wall-clock seconds before it is killed.
RESUME_PARSE_LIMITS = {
    "memory_mb": env.int("RESUME_PARSE_MEMORY_MB", default=512),
    "cpu_seconds": env.int("RESUME_PARSE_CPU_SECONDS", default=60),
    "wall_seconds": env.int("RESUME_PARSE_WALL_SECONDS", default=90),
}
# A stage's claim is a lease of this many seconds, renewed every third of it by the task
# working on it: a stage whose lease ran out lost its worker, and the next task for it (the
# reconciler's, or a redelivery) takes it over at once. Independent of the time limits: a
# live task keeps renewing however long it runs (CELERY_TASK_TIME_LIMIT ends it).
RESUME_STAGE_LEASE_SECONDS = env.int("RESUME_STAGE_LEASE_SECONDS", default=30)
# A stage pending for longer than this was committed but never reached the broker (it was
# down at the hand-off): the reconciler enqueues it. Each run's claim keeps a duplicate
# from doing the work twice.
RESUME_UNQUEUED_AFTER_SECONDS = env.int("RESUME_UNQUEUED_AFTER_SECONDS", default=20)
# Every stage claim counts an attempt in the version row (so the reconciler's runs count
# too). A stage that keeps failing transiently (the AI service answering 429/5xx, timing
# out) ends failed, "The AI service is unavailable — retry later", at this many attempts.
RESUME_STAGE_ATTEMPT_CAP = env.int("RESUME_STAGE_ATTEMPT_CAP", default=6)
# Transient failures wait before the next attempt: the Retry-After the AI service sent,
# else base × 2^attempt seconds with jitter, at most PIPELINE_RETRY_BACKOFF_MAX_SECONDS
# (careeros.celery.retry_countdown). With the defaults six attempts span about 2.5 minutes.
# The cap stays below ENRICHMENT_JOB_LEASE_SECONDS (careeros.E011).
PIPELINE_RETRY_BACKOFF_SECONDS = env.float("PIPELINE_RETRY_BACKOFF_SECONDS", default=5.0)
PIPELINE_RETRY_BACKOFF_MAX_SECONDS = env.float("PIPELINE_RETRY_BACKOFF_MAX_SECONDS", default=300.0)
CELERY_BEAT_SCHEDULE["resumes-reconcile-stuck-versions"] = {
    "task": "resumes.tasks.resume_versions_reconcile",
    "schedule": timedelta(seconds=env.int("RESUME_RECONCILE_EVERY_SECONDS", default=30)),
}

# -- Enrichment -------------------------------------------------------------------------

# "offline" (the default: facts computed from the profile, no key) or "openai".
ENRICHMENT_PROVIDER = env.str("ENRICHMENT_PROVIDER", default="offline")
# A job processing for longer than this without reporting progress lost its worker: its
# claim may be taken over. It must exceed the ai queue's hard time limit.
ENRICHMENT_JOB_LEASE_SECONDS = env.int("ENRICHMENT_JOB_LEASE_SECONDS", default=600)
# Every claim counts an attempt in the job row; a job whose AI calls keep failing
# transiently ends failed ("The AI service is unavailable — retry later") at this many.
ENRICHMENT_JOB_ATTEMPT_CAP = env.int("ENRICHMENT_JOB_ATTEMPT_CAP", default=6)
# Queue a resume_enrichment job whenever a resume version completes.
ENRICHMENT_AFTER_UPLOAD = env.bool("ENRICHMENT_AFTER_UPLOAD", default=True)
# Enrichment's tasks run on the ai queue (CELERY_TASK_ROUTES above), its reconciler on
# housekeeping.
CELERY_BEAT_SCHEDULE["enrichment-reconcile-stuck-jobs"] = {
    "task": "enrichment.tasks.enrichment_jobs_reconcile",
    "schedule": timedelta(seconds=env.int("ENRICHMENT_RECONCILE_EVERY_SECONDS", default=60)),
}

# -- Accounts --------------------------------------------------------------------------

AUTH_USER_MODEL = "profiles.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # The users table is under row level security: sign-in looks the address up through
    # the system alias, a signed-in request reads its own row in its own context.
    "careeros.db.accounts.RowLevelSecurityBackend",
]
# Sessions under row level security: a query sees only the session whose key it names.
SESSION_ENGINE = "careeros.db.sessions"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins: after AXES_FAILURE_LIMIT failures for one e-mail address from one
# IP address, sign-in is refused for AXES_COOLOFF_TIME. Attempts are counted in Redis.
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
# The sign-in form's field is "username" (holding the e-mail address).
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "profiles.selectors.sign_in_username"
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_IPWARE_PROXY_COUNT = env.int("PROXY_COUNT", default=0) or None

# E-mail: EMAIL_URL, for example smtp+tls://user:password@smtp.example.com:587; the
# console (stdout) by default, so password-reset links show in the run command's output.
_email = env.email_url("EMAIL_URL", default="consolemail://")
_smtp = _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            "host": _email.get("EMAIL_HOST") or "localhost",
            "port": _email.get("EMAIL_PORT") or 25,
            "username": _email.get("EMAIL_HOST_USER") or "",
            "password": _email.get("EMAIL_HOST_PASSWORD") or "",
            "use_tls": bool(_email.get("EMAIL_USE_TLS")),
            "use_ssl": bool(_email.get("EMAIL_USE_SSL")),
        }
        if _smtp
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CareerOS <noreply@localhost>")

# -- Internationalisation ---------------------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# -- Files -------------------------------------------------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("STATIC_ROOT", default=DATA_DIR / "staticfiles")
MEDIA_ROOT = env.path("MEDIA_ROOT", default=DATA_DIR / "media")
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    # Uploaded resumes are private: no public ACL, short-lived signed URLs.
    DEFAULT_STORAGE: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
        },
    }
else:
    DEFAULT_STORAGE = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# -- AI provider and encryption (used by later parts; validated by careeros.checks) ----

AI_PROVIDER = env.str("AI_PROVIDER", default="rules")
OPENAI_API_KEY = env.str("OPENAI_API_KEY", default="")
OPENAI_BASE_URL = env.str("OPENAI_BASE_URL", default="")
OPENAI_MODEL = env.str("OPENAI_MODEL", default="gpt-4o-mini")
OPENAI_TIMEOUT_SECONDS = env.float("OPENAI_TIMEOUT_SECONDS", default=60.0)
# Retries with backoff on 429, 5xx, timeouts and connection errors.
OPENAI_MAX_RETRIES = env.int("OPENAI_MAX_RETRIES", default=3)
# On malformed output, a refusal or truncation, use the offline rules engine instead of failing.
AI_FALLBACK_TO_RULES = env.bool("AI_FALLBACK_TO_RULES", default=False)

# Key ring for the vault: "key_id:base64-32-byte-key" entries, newest first. The first
# key encrypts; the others only decrypt (rotation). Required when DEBUG is off.
ENCRYPTION_KEYS = env.list("ENCRYPTION_KEYS", default=[])
TRANSCRIPT_RETENTION_DAYS = env.int("TRANSCRIPT_RETENTION_DAYS", default=30)

# -- Interviews (interviews/) ----------------------------------------------------------------

# Voice interviews (offered only with OPENAI_API_KEY): the Realtime model the browser talks
# to, and the model that transcribes what the person says.
OPENAI_REALTIME_MODEL = env.str("OPENAI_REALTIME_MODEL", default="gpt-realtime")
OPENAI_TRANSCRIBE_MODEL = env.str("OPENAI_TRANSCRIBE_MODEL", default="gpt-4o-mini-transcribe")
# 03:00 in CELERY_TIMEZONE: partitions for the months ahead, stale sessions closed as failed,
# transcripts past TRANSCRIPT_RETENTION_DAYS dropped (months whole) with their vault rows.
CELERY_BEAT_SCHEDULE["interviews-nightly"] = {
    "task": "interviews.tasks.interviews_nightly",
    "schedule": crontab(hour=3, minute=0),
}

# -- The vault (careeros.vault): retention by purpose, the nightly cleanup ---------------

# Days the vault keeps each purpose's rows (None: until deleted); a purpose missing here
# cannot be stored (checked by vault.E003/E004).
VAULT_RETENTION_DAYS: dict[str, int | None] = {
    "interview_transcript": TRANSCRIPT_RETENTION_DAYS,
}
# 02:00 in CELERY_TIMEZONE (UTC unless set); manage.py cleanup_expired_data does the same.
CELERY_BEAT_SCHEDULE["vault-cleanup-expired-data"] = {
    "task": "careeros.vault.tasks.encrypted_data_cleanup",
    "schedule": crontab(hour=2, minute=0),
}

# -- Security ------------------------------------------------------------------------------

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
if env.bool("SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# -- Logging: one JSON object a line on stdout -------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "json",
        },
    },
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "celery": {"level": LOG_LEVEL},
    },
}

# -- Data rights: "download all my data" -----------------------------------------------------

# How long a finished archive can be downloaded before the cleanup deletes it.
DATA_EXPORT_RETENTION_HOURS = env.int("DATA_EXPORT_RETENTION_HOURS", default=48)
CELERY_BEAT_SCHEDULE["exports-cleanup-expired-archives"] = {
    "task": "exports.tasks.data_exports_cleanup",
    "schedule": timedelta(hours=1),
}
