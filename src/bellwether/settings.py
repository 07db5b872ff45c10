"""Django settings for Bellwether, read from the environment (see README, "Configuration")."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import Path
from typing import Any

from bellwether.envconfig import (
    ConfigError,
    development_secret_key,
    env_bool,
    env_int,
    env_list,
    env_str,
    parse_database_url,
)

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = Path(env_str("BELLWETHER_HOME", str(Path.cwd())))
VAR_DIR = Path(env_str("BELLWETHER_VAR_DIR", str(BASE_DIR / "var")))

ENVIRONMENT = env_str("BELLWETHER_ENV", "development")
if ENVIRONMENT not in {"development", "production", "test"}:
    raise ConfigError("BELLWETHER_ENV must be development, test or production")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("BELLWETHER_DEBUG", default=not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ConfigError("SECRET_KEY must be set when BELLWETHER_ENV=production")
    SECRET_KEY = development_secret_key(VAR_DIR)

ALLOWED_HOSTS = env_list(
    "ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "[::1]", "testserver"]
)
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
# The public address used in links sent by email (sign-in links, survey invitations).
BELLWETHER_BASE_URL = env_str("BELLWETHER_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Seals pulse ballots and drafts until release (surveys/sealing.py); SECRET_KEY if unset.
BELLWETHER_SEALING_KEY = env_str("BELLWETHER_SEALING_KEY", "")
# Earlier secrets still accepted (signed links, sessions, sealed ballots) while rotating.
SECRET_KEY_FALLBACKS = [k for k in env_str("SECRET_KEY_FALLBACKS", "").split(",") if k]
# Slack and Teams (integrations/chat): Slack's Web API address (a test server in tests),
# hosts besides Microsoft's that a Teams webhook may be on, and tries before email.
BELLWETHER_SLACK_API_URL = env_str("BELLWETHER_SLACK_API_URL", "https://slack.com/api/")
BELLWETHER_TEAMS_EXTRA_HOSTS = env_list("BELLWETHER_TEAMS_EXTRA_HOSTS", [])
BELLWETHER_CHAT_ATTEMPTS = env_int("BELLWETHER_CHAT_ATTEMPTS", 5)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # The Redis queue, used when BELLWETHER_TASK_BACKEND=rq (see "Background work").
    "django_rq",
    "django_tasks_rq",
    "bellwether.core",
    "bellwether.accounts",
    "bellwether.people",
    "bellwether.framework",
    "bellwether.surveys",
    "bellwether.assessments",
    "bellwether.influence",
    "bellwether.engagement",
    "bellwether.development",
    "bellwether.initiatives",
    "bellwether.peers",
    "bellwether.communications",
    "bellwether.coaching",
    "bellwether.reviews",
    "bellwether.succession",
    "bellwether.behaviours",
    "bellwether.integrations.scim",
    "bellwether.integrations.chat",
    # Single sign-on (OpenID Connect, SAML 2.0) through django-allauth; see "Single sign-on".
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",
    "bellwether.integrations.sso",
    # Last: it reads every module (and its demo sets baselines from their demo data).
    "bellwether.insights",
    "bellwether.demo",
]

MIDDLEWARE = [
    "bellwether.core.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "bellwether.core.security.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "bellwether.core.textguard.TextGuardMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "bellwether.accounts.middleware.SessionLifetimeMiddleware",
    "bellwether.accounts.middleware.TenantMiddleware",
    "bellwether.accounts.middleware.RefusalAuditMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "bellwether.urls"
WSGI_APPLICATION = "bellwether.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "bellwether.accounts.context_processors.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------
_db = parse_database_url(
    env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'bellwether.sqlite3'}"), base_dir=BASE_DIR
)
if _db.engine == "sqlite":
    Path(_db.name).parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    DATABASES: dict[str, dict[str, Any]] = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _db.name,
            "OPTIONS": {
                # WAL lets the worker write while the web server reads; IMMEDIATE
                # transactions take the write lock up front instead of failing midway.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            "TEST": {"NAME": env_str("BELLWETHER_TEST_SQLITE", "") or None},
        }
    }
else:
    _pg_options: dict[str, object] = dict(_db.options or {})
    if env_bool("DATABASE_POOL", default=True):
        # Django's native pool (psycopg_pool); CONN_MAX_AGE must stay 0 with it.
        _pg_options["pool"] = {
            "min_size": env_int("DATABASE_POOL_MIN", 2),
            "max_size": env_int("DATABASE_POOL_MAX", 10),
            "timeout": 10,
        }
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": _db.name,
            "USER": _db.user,
            "PASSWORD": _db.password,
            "HOST": _db.host,
            "PORT": _db.port,
            "OPTIONS": _pg_options,
            "CONN_MAX_AGE": 0,
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Accounts and sessions ---------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["bellwether.accounts.backends.EmailBackend"]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "bellwether.accounts.validators.PredictablePasswordValidator"},
    {"NAME": "bellwether.accounts.validators.MaximumLengthValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Single sign-on (integrations/sso): each organisation's provider is a row, not a setting.
# allauth's own account pages are not mounted; Bellwether's sign-in decides who gets in.
BELLWETHER_SSO_HOOKS = "bellwether.integrations.sso.hooks"
# Encrypts identity providers' client secrets; SECRET_KEY (and its fallbacks) if unset.
BELLWETHER_SSO_KEY = env_str("BELLWETHER_SSO_KEY", "")
# Lets an identity provider's address be plain http://localhost (a provider on this
# machine, for trying it out); off in production, where every address must be https.
BELLWETHER_SSO_ALLOW_HTTP_LOCALHOST = env_bool(
    "BELLWETHER_SSO_ALLOW_HTTP_LOCALHOST", default=not PRODUCTION
)
SOCIALACCOUNT_ADAPTER = "bellwether.integrations.sso.adapter.OrganisationSocialAccountAdapter"
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_AUTO_SIGNUP = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_REQUESTS_TIMEOUT = 10
# Two-factor sign-in for password users (integrations/sso/services_mfa.py).
MFA_ADAPTER = "bellwether.integrations.sso.mfa_adapter.BellwetherMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
# Security keys answer only to an https:// origin whose host is the site's host (the
# relying party id), or to http://localhost for development and the browser tests; the
# origin check stays on everywhere (allauth's "insecure origin" switch skips it).
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# A code of the previous or next 30-second step is accepted too (phones whose clock drifts).
MFA_TOTP_TOLERANCE = 1
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
# Absolute session lifetime; the idle limit is enforced by SessionLifetimeMiddleware.
SESSION_COOKIE_AGE = int(timedelta(hours=12).total_seconds())
BELLWETHER_SESSION_IDLE = timedelta(minutes=env_int("BELLWETHER_SESSION_IDLE_MINUTES", 30))
BELLWETHER_SESSION_ABSOLUTE = timedelta(hours=12)
BELLWETHER_LOCKOUT_FAILURES = env_int("BELLWETHER_LOCKOUT_FAILURES", 10)
BELLWETHER_LOCKOUT_MINUTES = env_int("BELLWETHER_LOCKOUT_MINUTES", 15)
BELLWETHER_SIGN_IN_LINK_MINUTES = env_int("BELLWETHER_SIGN_IN_LINK_MINUTES", 15)
# Per client IP, over a sliding window (accounts/throttle.py, README "Signing in").
BELLWETHER_THROTTLE_WINDOW_MINUTES = env_int("BELLWETHER_THROTTLE_WINDOW_MINUTES", 15)
BELLWETHER_THROTTLE_SIGN_IN_FAILURES = env_int("BELLWETHER_THROTTLE_SIGN_IN_FAILURES", 30)
BELLWETHER_THROTTLE_LINK_REQUESTS = env_int("BELLWETHER_THROTTLE_LINK_REQUESTS", 20)
BELLWETHER_THROTTLE_TOKEN_FAILURES = env_int("BELLWETHER_THROTTLE_TOKEN_FAILURES", 30)
# Reverse proxies (addresses or networks) whose X-Forwarded-For is believed; see
# core.audit.client_ip. Empty: the connecting address is the client.
BELLWETHER_TRUSTED_PROXIES = env_list("BELLWETHER_TRUSTED_PROXIES", [])
for _proxy in BELLWETHER_TRUSTED_PROXIES:
    try:
        ipaddress.ip_network(_proxy, strict=False)
    except ValueError as _exc:
        raise ConfigError(f"BELLWETHER_TRUSTED_PROXIES: {_proxy!r} is not an address") from _exc
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Security ----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = 31_536_000  # one year
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- Email -------------------------------------------------------------------
EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Bellwether <bellwether@localhost>")
# Without an SMTP host, development prints mail to the terminal so sign-in links are visible.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST or PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)

# --- Background work -----------------------------------------------------------
# "database" (the default: the jobs are rows of the database, run by `bellwether worker`)
# or "rq" (Redis at REDIS_URL through RQ, for more than one machine's worth of jobs); a
# dotted backend path is taken as it is.
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "rq": "django_tasks_rq.RQBackend",
}
_task_backend = env_str("BELLWETHER_TASK_BACKEND", "database")
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(_task_backend, _task_backend)}}
# Redis: the RQ queue (when chosen) and what /readyz checks when set.
REDIS_URL = env_str("REDIS_URL", "")
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        # A job RQ has not finished in this time is stopped (an import of 500,000 rows).
        "DEFAULT_TIMEOUT": env_int("BELLWETHER_RQ_JOB_TIMEOUT", 3600),
    }
}
# The shared cache (core/cache.py: entries found by a version key of their inputs): Redis
# at REDIS_URL when set, else a table of the database (core migration 0006 makes it).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "bellwether_cache"}
}
# A job that fails for a passing reason (a locked or unreachable database, a mail server
# that defers or is down) runs again after 5 s, 10 s, 20 s, … at most 15 min apart, up to
# 12 runs in all (about an hour); short writes wait out such errors the same way.
BELLWETHER_JOB_ATTEMPTS = env_int("BELLWETHER_JOB_ATTEMPTS", 12)
BELLWETHER_JOB_BACKOFF_SECONDS = env_int("BELLWETHER_JOB_BACKOFF_SECONDS", 5)
BELLWETHER_JOB_BACKOFF_MAX_SECONDS = env_int("BELLWETHER_JOB_BACKOFF_MAX_SECONDS", 900)

# --- Internationalisation and time ----------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ------------------------------------------------------------------
STATIC_URL = "/static/"
# Project-wide assets (layout, vendored libraries) and each app's own static/ folder.
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Outside production, serve straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Uploaded evidence is confidential: owner-only, whatever the process's umask.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
# Uploads above this go to a temporary file rather than memory (imports can be large).
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 50 * 1024 * 1024
BELLWETHER_MAX_IMPORT_BYTES = env_int("BELLWETHER_MAX_IMPORT_BYTES", 200 * 1024 * 1024)
# Caps on what one uploaded CSV/XLSX may hold (bellwether.core.uploads.UploadLimits).
BELLWETHER_UPLOAD_MAX_ROWS = env_int("BELLWETHER_UPLOAD_MAX_ROWS", 500_000)
BELLWETHER_UPLOAD_MAX_COLUMNS = env_int("BELLWETHER_UPLOAD_MAX_COLUMNS", 500)
BELLWETHER_UPLOAD_MAX_CELL_CHARS = env_int("BELLWETHER_UPLOAD_MAX_CELL_CHARS", 10_000)
BELLWETHER_UPLOAD_MAX_UNPACKED_BYTES = env_int(
    "BELLWETHER_UPLOAD_MAX_UNPACKED_BYTES", 512 * 1024 * 1024
)
BELLWETHER_UPLOAD_MAX_COMPRESSION_RATIO = env_int("BELLWETHER_UPLOAD_MAX_COMPRESSION_RATIO", 100)
# Hours an import's uploaded file is kept after the import finishes (0: deleted at once).
BELLWETHER_UPLOAD_RETENTION_HOURS = env_int("BELLWETHER_UPLOAD_RETENTION_HOURS", 0)

# LOG_FORMAT=json writes one JSON object a line (time, level, logger, message and any
# extra fields), for a log collector; "text" (the default) is for people.
LOG_FORMAT = env_str("LOG_FORMAT", "text")
if LOG_FORMAT not in {"text", "json"}:
    raise ConfigError("LOG_FORMAT must be text or json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# --- Operations: scheduler, health and metrics ------------------------------------
# /metrics answers a request that carries this bearer token, or comes from an address
# in the allow-list (addresses or networks); with neither set, only from this machine.
BELLWETHER_METRICS_TOKEN = env_str("BELLWETHER_METRICS_TOKEN", "")
BELLWETHER_METRICS_ALLOW = env_list("BELLWETHER_METRICS_ALLOW", ["127.0.0.1/32", "::1/128"])
for _network in BELLWETHER_METRICS_ALLOW:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _exc:
        raise ConfigError(
            f"BELLWETHER_METRICS_ALLOW: {_network!r} is not an address or network"
        ) from _exc
# A scheduled run still marked running after this many minutes is taken as crashed.
BELLWETHER_SCHEDULE_STALE_MINUTES = env_int("BELLWETHER_SCHEDULE_STALE_MINUTES", 120)
