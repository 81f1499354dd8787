"""Django settings for Dyade, read from the environment with safe defaults.

DEBUG is off unless ``DYADE_DEBUG=1``. A developer's machine sets ``DYADE_LOCAL=1``
(``make run`` and the test suite do), which keeps generated secrets in the ignored
``.local/`` folder. Anywhere else Dyade refuses to start without real secrets.
SQLite is the default database; ``DATABASE_URL`` switches to PostgreSQL.
"""

from __future__ import annotations

from ipaddress import ip_network
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from dyade.env import envbool, envint, envlist, envstr, local_secret

BASE_DIR = Path(__file__).resolve().parent.parent
LOCAL_DIR = Path(envstr("DYADE_LOCAL_DIR", str(BASE_DIR / ".local")))

DEBUG = envbool("DYADE_DEBUG", False)
LOCAL = envbool("DYADE_LOCAL", False)

SECRET_KEY = envstr("DYADE_SECRET_KEY")
if not SECRET_KEY:
    if not LOCAL:
        raise ImproperlyConfigured(
            "DYADE_SECRET_KEY (or DYADE_SECRET_KEY_FILE) must be set. "
            "For a developer machine set DYADE_LOCAL=1 to generate one into .local/."
        )
    SECRET_KEY = local_secret(LOCAL_DIR, "secret_key")

# Keys for encrypting free text at rest: newest first, older ones still decrypt.
FIELD_ENCRYPTION_KEYS = envlist("DYADE_FIELD_KEYS")
if not FIELD_ENCRYPTION_KEYS:
    if not LOCAL:
        raise ImproperlyConfigured(
            "DYADE_FIELD_KEYS (or DYADE_FIELD_KEYS_FILE) must be set to one or more "
            "Fernet keys, comma-separated, newest first."
        )
    FIELD_ENCRYPTION_KEYS = [
        local_secret(LOCAL_DIR, "field_key", lambda: Fernet.generate_key().decode())
    ]

ALLOWED_HOSTS = envlist("DYADE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = envlist("DYADE_CSRF_TRUSTED_ORIGINS")
SITE_URL = envstr("DYADE_SITE_URL", "http://127.0.0.1:8000")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # recovery codes for two-step login
    "dyade.accounts",
    "dyade.audit",
    "dyade.cases",
    "dyade.diary",
    "dyade.questionnaires",
    "dyade.reports",
    "dyade.sessions",
    "dyade.reflection",
    "dyade.reading",
    "dyade.exercises",
    "dyade.reminders",
    "dyade.research",
    "dyade.progress",
    "dyade.practice",
    "dyade.overview",
    "dyade.rights",
    "dyade.demo",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "dyade.errors_middleware.RefuseNulMiddleware",  # NUL in a path, query or header: 400
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dyade.accounts.middleware.SessionRefreshMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "dyade.accounts.signed_in.AuthenticationMiddleware",
    "dyade.accounts.two_factor.OTPMiddleware",
    "dyade.accounts.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "dyade.csp_middleware.PolicyOnce",  # django-csp, its header written out once
    "dyade.accounts.middleware.NoStoreMiddleware",
    "dyade.accounts.two_factor.TwoFactorMiddleware",
    "dyade.sessions.room.RoomLockMiddleware",  # a tablet handed to a partner stays on its check-in
    "axes.middleware.AxesMiddleware",
    "dyade.audit.keys_check.UnreadableTextMiddleware",  # a missing field key: 503, not 500
]

ROOT_URLCONF = "dyade.urls"
WSGI_APPLICATION = "dyade.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "dyade" / "templates"],
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

# Connections are kept open between requests (each gunicorn worker keeps its own);
# a PostgreSQL connection is checked at the start of a request that reuses it after
# it has been idle, so a restarted server costs no failed request. See
# docs/operations.md.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DYADE_DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Dyade's backend checks a kept connection only when it has been idle, not before
    # every request of a busy worker (dyade/db/postgresql/base.py).
    DATABASES["default"]["ENGINE"] = "dyade.db.postgresql"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Dyade's backend takes SQLite's write lock at a transaction's first write, not at
    # its start, so blocks that only read never wait for it (dyade/db/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "dyade.db.sqlite"
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
    DATABASES["default"]["OPTIONS"] = {
        "timeout": envint("DYADE_SQLITE_BUSY_MS", 5000) / 1000,  # SQLite's busy timeout
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    if envstr("DYADE_TEST_SQLITE_PATH", ""):
        # Tests with a second writer need a test database in a file, as in production
        # (the in-memory one is shared between threads with table locks instead).
        DATABASES["default"]["TEST"] = {"NAME": envstr("DYADE_TEST_SQLITE_PATH", "")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Two-step login (TOTP) for staff: required unless switched off; always asked once set up.
DYADE_REQUIRE_2FA = envbool("DYADE_REQUIRE_2FA", not LOCAL)
OTP_TOTP_ISSUER = "Dyade"

# The client's address: X-Forwarded-For counts only from these proxies (addresses or
# networks, "unix" for a Unix socket); used by the audit trail and by the lockouts.
DYADE_TRUSTED_PROXIES = envlist("DYADE_TRUSTED_PROXIES")
for _proxy in DYADE_TRUSTED_PROXIES:
    if _proxy != "unix":
        try:
            ip_network(_proxy, strict=False)
        except ValueError as _exc:
            raise ImproperlyConfigured(
                f"DYADE_TRUSTED_PROXIES: {_proxy!r} is not an address or a network"
            ) from _exc

# Login attempts: five failures per account and client address lock that account for
# that address (only) for 30 minutes.
AXES_CLIENT_IP_CALLABLE = "dyade.audit.client_ip.client_ip"
AXES_FAILURE_LIMIT = envint("DYADE_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("DYADE_LOGIN_COOLOFF_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_CALLABLE = "dyade.accounts.lockout.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# Links to choose a new password: at most this many e-mails per account, and requests
# per client address, in an hour (dyade/accounts/reset.py).
DYADE_PASSWORD_RESET_PER_ACCOUNT = envint("DYADE_PASSWORD_RESET_PER_ACCOUNT", 3)
DYADE_PASSWORD_RESET_PER_CLIENT = envint("DYADE_PASSWORD_RESET_PER_CLIENT", 10)

# Sessions end after two idle hours of use, and when the browser closes. A request
# does not write its session unless the session changed or its expiry is more than
# DYADE_SESSION_REFRESH_SECONDS old (dyade.accounts.middleware.SessionRefreshMiddleware).
SESSION_ENGINE = "dyade.accounts.signed_in"  # Django's database sessions, read faster
SESSION_COOKIE_AGE = envint("DYADE_SESSION_SECONDS", 2 * 60 * 60)
SESSION_SAVE_EVERY_REQUEST = False
DYADE_SESSION_REFRESH_SECONDS = min(
    envint("DYADE_SESSION_REFRESH_SECONDS", 5 * 60), SESSION_COOKIE_AGE // 4
)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# However busy, a session ends this long after its login (dyade/accounts/signed_in.py).
DYADE_SESSION_MAX_SECONDS = envint("DYADE_SESSION_MAX_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# Secure cookies and HSTS unless on a developer machine; DYADE_DEBUG does not change this.
SECURE = envbool("DYADE_SECURE", not LOCAL)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
# `manage.py check --deploy` passes but for HSTS preload, left to the operator (W021;
# docs/operations.md, tests/test_deploy_check.py). Plain HTTP is redirected, /health/ aside.
SECURE_SSL_REDIRECT = envbool("DYADE_SSL_REDIRECT", SECURE)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # a load balancer may check over plain HTTP
SECURE_HSTS_SECONDS = 31536000 if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DYADE_HSTS_SUBDOMAINS", SECURE)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if SECURE else None
SECURE_REFERRER_POLICY = "same-origin"  # no-referrer makes Chromium send Origin: null
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "dyade" / "locale"]
FORMAT_MODULE_PATH = ["dyade.formats"]  # one date format per language: docs in dyade/formats
USE_I18N = True
TIME_ZONE = envstr("DYADE_TIME_ZONE", "Europe/Amsterdam")
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(envstr("DYADE_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "dyade" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG or LOCAL  # production serves what collectstatic gathered
WHITENOISE_AUTOREFRESH = DEBUG or LOCAL

EMAIL_BACKEND = envstr("DYADE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = envstr("DYADE_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("DYADE_EMAIL_PORT", 25)
EMAIL_HOST_USER = envstr("DYADE_EMAIL_USER")
EMAIL_HOST_PASSWORD = envstr("DYADE_EMAIL_PASSWORD")
EMAIL_USE_TLS = envbool("DYADE_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = envstr("DYADE_FROM_EMAIL", "Dyade <noreply@dyade.invalid>")
EMAIL_FILE_PATH = envstr("DYADE_EMAIL_FILE_PATH", str(LOCAL_DIR / "mail"))  # the file backend

# Dyade's own settings.
CSRF_FAILURE_VIEW = "dyade.errors.csrf_failure"

DYADE_INVITATION_DAYS = envint("DYADE_INVITATION_DAYS", 14)
DYADE_QUICK_EXIT_URL = envstr("DYADE_QUICK_EXIT_URL", "https://www.buienradar.nl/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("DYADE_LOG_LEVEL", "WARNING")},
}


# Background work (django-tasks): reminders now, exports and reports later. The
# database backend needs `manage.py db_worker` running; tests run tasks at once.
TASKS = {"default": {"BACKEND": envstr("DYADE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")}}

# The research export (docs/research.md): a study with more diary rows than this is
# prepared in the background, in every format; the files wait in a private folder, never
# served by the web server, until they expire.
DYADE_EXPORT_BACKGROUND_ROWS = envint("DYADE_EXPORT_BACKGROUND_ROWS", 20_000)
DYADE_EXPORT_DIR = Path(envstr("DYADE_EXPORT_DIR", str(LOCAL_DIR / "exports")))
DYADE_EXPORT_KEEP_HOURS = envint("DYADE_EXPORT_KEEP_HOURS", 24)
