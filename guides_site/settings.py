"""Settings for the guides site, read from environment variables.

Every variable goes through a small strict helper: a value that cannot be understood stops
the process with ImproperlyConfigured instead of silently falling back to a default.
The defaults suit development; production sets DJANGO_DEBUG=False and DJANGO_SECRET_KEY.
"""

import os
import tempfile
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name, default):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_str(name, default=None):
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip()


def env_list(name, default):
    raw = env_str(name)
    if raw is None:
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_rate_limits(name, default):
    """ "off", or limits per scope as "vote=30/60,question=5/600" (requests / seconds)."""
    raw = env_str(name)
    if raw is None:
        return dict(default)
    if raw.lower() == "off":
        return {}
    limits = dict(default)
    for item in raw.split(","):
        scope, _, rate = item.strip().partition("=")
        count, _, seconds = rate.partition("/")
        if scope not in default or not count.isdigit() or not seconds.isdigit():
            raise ImproperlyConfigured(
                f"{name} must be 'off' or like 'vote=30/60,question=5/600' with scopes "
                f"{', '.join(default)}; could not read {item!r}."
            )
        limits[scope] = (int(count), int(seconds))
    return limits


def env_float(name, default):
    raw = env_str(name)
    if raw is None:
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}.") from None


def env_origin(name, default):
    """An origin such as https://guides.example: a scheme, a host, maybe a port, no path."""
    raw = env_str(name, default)
    if raw is None:
        raise ImproperlyConfigured(
            f"{name} is required when DJANGO_DEBUG is off: where readers reach the site, "
            "e.g. https://guides.example."
        )
    parts = urlsplit(raw)
    if (
        parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
        or parts.username
    ):
        raise ImproperlyConfigured(
            f"{name} must be an origin like https://guides.example, not {raw!r}."
        )
    return f"{parts.scheme}://{parts.netloc.lower()}"


def env_int(name, default):
    raw = env_str(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None


DEBUG = env_bool("DJANGO_DEBUG", True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if SECRET_KEY is None:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is required when DJANGO_DEBUG is off. Generate one with: "
            "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )
    SECRET_KEY = "django-insecure-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "adminsortable2",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "guides_site.guides",
    "guides_site.questions",
    "guides_site.dashboard",
    "guides_site.limits",
    "guides_site.operations",
    "guides_site.contacts",
    "guides_site.search",
]

# The request id and the health probes come first: probes pass the HTTPS redirect and the Host
# check, and every response, a refusal included, carries its request's id. Bodies are checked
# before anything reads them.
MIDDLEWARE = [
    "guides_site.operations.middleware.RequestIDMiddleware",
    "guides_site.operations.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "guides_site.operations.middleware.RequestBodyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "guides_site.guides.middleware.GuidePageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "guides_site.guides.middleware.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "guides_site.operations.middleware.CSPMiddleware",
    "guides_site.guides.middleware.PermissionsPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "guides_site.urls"
WSGI_APPLICATION = "guides_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "guides_site.guides.context_processors.site",
            ],
        },
    },
]

# SQLite is the embedded default. WAL lets readers work while a vote is written,
# IMMEDIATE takes the write lock at BEGIN (no deadlock on lock upgrade), and the
# timeout makes a writer wait for the lock instead of failing with "database is locked".
# The same options apply however the file is named (SQLITE_PATH or DATABASE_URL=sqlite://).
# Connections are kept between requests: opening one (and, for SQLite, setting its pragmas)
# costs more than a page's queries.
CONN_MAX_AGE = env_int("DATABASE_CONN_MAX_AGE", 60)
# Kept connections are checked only when reused after this long idle, or after an error
# (guides_site/operations/connections.py), not before every request.
DATABASE_IDLE_CHECK_SECONDS = env_int("DATABASE_IDLE_CHECK_SECONDS", 10)
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
}
# A database that does not answer makes a page fail within seconds, not hang a worker.
DATABASE_CONNECT_TIMEOUT = env_int("DATABASE_CONNECT_TIMEOUT", 3)
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    try:
        _database = dj_database_url.parse(
            DATABASE_URL, conn_max_age=CONN_MAX_AGE, conn_health_checks=False
        )
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {error}") from None
else:
    _database = {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": env_str("SQLITE_PATH", str(BASE_DIR / "db.sqlite3")),
        "CONN_MAX_AGE": CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": False,
    }
if _database["ENGINE"] == "django.db.backends.sqlite3":
    _database["OPTIONS"] = {**SQLITE_OPTIONS, **_database.get("OPTIONS", {})}
    # Tests use a file too, so that a real server process can share the database;
    # one per test run, so that two runs never share it.
    _database["TEST"] = {
        "NAME": env_str(
            "SQLITE_TEST_PATH",
            str(Path(tempfile.gettempdir()) / f"guides-test-{os.getpid()}.sqlite3"),
        )
    }
else:
    if _database["ENGINE"] == "django.db.backends.postgresql":
        _options = _database.setdefault("OPTIONS", {})
        _options.setdefault("connect_timeout", DATABASE_CONNECT_TIMEOUT)
        # Lets psycopg prepare the statements it is asked to (Django's own cursors bind in
        # Python and never are; the guide page's state query is: page_cache._state_cursor).
        _options.setdefault("prepare_threshold", 5)
    # One test database per test run, so that two runs never drop each other's.
    _database["TEST"] = {"NAME": f"test_guides_{os.getpid()}"}
DATABASES = {"default": _database}

# The shared cache fails open: if Redis stops or hangs, each call gives up within
# CACHE_TIMEOUT_SECONDS and the page is built from the database instead (slower, still
# right). django-redis logs each ignored error; operations.outages.OncePerInterval keeps that
# to one line per interval.
REDIS_URL = env_str("REDIS_URL")
CACHE_TIMEOUT_SECONDS = env_float("CACHE_TIMEOUT_SECONDS", 0.25)
if REDIS_URL:
    from guides_site.operations import outages

    _redis_options = {
        "CLIENT_CLASS": "django_redis.client.DefaultClient",
        "SOCKET_CONNECT_TIMEOUT": CACHE_TIMEOUT_SECONDS,
        "SOCKET_TIMEOUT": CACHE_TIMEOUT_SECONDS,
        "IGNORE_EXCEPTIONS": True,
        "CONNECTION_POOL_KWARGS": {
            "retry_on_timeout": False,
            "health_check_interval": 30,
            "connection_class": outages.FailFastSSLConnection
            if REDIS_URL.startswith("rediss:")
            else outages.FailFastConnection,
        },
    }
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "guides"),
            "OPTIONS": _redis_options,
        },
    }
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "guides_site.cache"
    CACHES["search"] = CACHES["default"]
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Search pages, kept once made (search/views.py), are shared by the processes of the
        # machine in files, so that a search is made once, not once per worker: a search
        # costs ten to thirty times what serving a kept page does. In a folder of the site's
        # own, as the files are pickles.
        "search": {
            "BACKEND": "guides_site.operations.outages.FailOpenFileBasedCache",
            "LOCATION": env_str("SEARCH_PAGES_DIR", str(BASE_DIR / "search-pages")),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        },
    }

# Each process keeps copies of the cached pages it serves (page_cache.LocalCopies), up to
# this many bytes: 32 MiB holds about 150 long guides, as shell and first-visit page.
PAGE_COPIES_MAX_BYTES = env_int("PAGE_COPIES_MAX_BYTES", 32 * 1024 * 1024)
# And of search pages, apart (search/views.py): 16 MiB holds about 1,000 of them (16 KB each),
# the distinct searches of a busy few minutes.
SEARCH_COPIES_MAX_BYTES = env_int("SEARCH_COPIES_MAX_BYTES", 16 * 1024 * 1024)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed, compressed (gzip and brotli) files in production; plain files while developing.
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "guides_site.operations.static_storage.MinifiedManifestStaticFilesStorage"
    },
}

SITE_NAME = env_str("SITE_NAME", "HelpSteps")
# Where readers reach the site. Canonical links, the sitemap, share links, e-mails and cache
# keys come from it, never from the request's Host header, which a client chooses.
SITE_URL = env_origin("SITE_URL", "http://127.0.0.1:8000" if DEBUG else None)

# What one reader (their visitor cookie) may send, and, looser, one client address, so that
# readers sharing an address (a household, an office, a mobile carrier) are not one reader.
# Only accepted submissions count (guides_site/limits). DJANGO_RATE_LIMITS=off for load
# tests on loopback, where every client shares one address.
RATE_LIMITS = env_rate_limits(
    "DJANGO_RATE_LIMITS",
    {
        "vote": (30, 60),
        "step_answer": (120, 60),
        "question": (5, 600),
        "reach": (20, 600),
        "login": (10, 900),
    },
)
ADDRESS_RATE_LIMITS = env_rate_limits(
    "DJANGO_ADDRESS_RATE_LIMITS",
    {"vote": (120, 60), "step_answer": (480, 60), "question": (30, 600), "reach": (80, 600)},
)
# New votes on one guide from one network (IPv4 /24, IPv6 /64) in 24 hours.
VOTES_PER_NETWORK_PER_GUIDE_PER_DAY = env_int("VOTES_PER_NETWORK_PER_GUIDE_PER_DAY", 20)

# Failed admin logins (django-axes, counted in the database, so every worker shares them):
# DJANGO_RATE_LIMITS' login=count/seconds per username and per client address.
AXES_ENABLED = "login" in RATE_LIMITS
AXES_FAILURE_LIMIT = RATE_LIMITS.get("login", (10, 900))[0]
AXES_COOLOFF_TIME = timedelta(seconds=RATE_LIMITS.get("login", (10, 900))[1])
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "guides_site.limits.addresses.client_address_of"
AXES_LOCKOUT_CALLABLE = "guides_site.limits.views.login_locked_out"
AXES_VERBOSE = False
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

QUESTIONS_PER_READER_PER_DAY = env_int("QUESTIONS_PER_READER_PER_DAY", 10)

# Answers are e-mailed by a background worker, `manage.py db_worker`: tasks wait in the
# database, so none is lost when a server or the worker restarts (guides_site/questions/tasks).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# Mail, with Django's own setting names. Without EMAIL_HOST, development prints e-mails to the
# console; production refuses to start, since readers were promised their answer.
EMAIL_HOST = env_str("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
    EMAIL_PORT = env_int("EMAIL_PORT", 465 if EMAIL_USE_SSL else 587 if EMAIL_USE_TLS else 25)
    EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
    EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
elif DEBUG:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    raise ImproperlyConfigured(
        "EMAIL_HOST is not set. Production e-mails readers their answers: set EMAIL_HOST "
        "(and EMAIL_PORT, EMAIL_HOST_USER, EMAIL_HOST_PASSWORD, EMAIL_USE_TLS, "
        "DEFAULT_FROM_EMAIL as your mail provider says). See README.md, Production."
    )
DEFAULT_FROM_EMAIL = env_str(
    "DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@{urlsplit(SITE_URL).hostname}>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Each process adds its tally of page views to the database at most this often (view_counts.py).
VIEW_COUNT_FLUSH_SECONDS = env_int("VIEW_COUNT_FLUSH_SECONDS", 10)
# Proxies whose X-Forwarded-For is believed when finding a client's address.
TRUSTED_PROXIES = env_list("DJANGO_TRUSTED_PROXIES", [])
# Messages travel in a signed cookie: showing "question sent" costs no database query.
MESSAGE_STORAGE = "django.contrib.messages.storage.cookie.CookieStorage"

CONTENT_DIR = Path(env_str("CONTENT_DIR", str(BASE_DIR / "content")))

# HTTPS is on by default in production. DJANGO_HTTPS=false serves production settings
# over plain HTTP, for benchmarks and checks on loopback.
HTTPS = env_bool("DJANGO_HTTPS", not DEBUG)
if HTTPS:
    SECURE_SSL_REDIRECT = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    # Both bind every subdomain of the domain, and leaving the browsers' preload list takes
    # months: only when asked for.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", False)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", False)
    if SECURE_HSTS_PRELOAD and not (
        SECURE_HSTS_INCLUDE_SUBDOMAINS and SECURE_HSTS_SECONDS >= 60 * 60 * 24 * 365
    ):
        raise ImproperlyConfigured(
            "DJANGO_HSTS_PRELOAD=true needs DJANGO_HSTS_INCLUDE_SUBDOMAINS=true and "
            "DJANGO_HSTS_SECONDS of at least 31536000 (a year): the preload list refuses less."
        )
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# The token reaches htmx through the page (hx-headers), so no script needs the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "https:", "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# One readable line per event, to stderr (gunicorn puts it beside its own): time, level,
# logger, request id, message. Expected refusals (a wrong Host, a bad body) leave out their
# traceback. Django's own configuration gives the django and django.server loggers a console
# handler besides the root's; replaced here, so that no line is printed twice.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "log_request_id.filters.RequestIDFilter"},
        "refusals_in_one_line": {"()": "guides_site.operations.log_filters.RefusalsInOneLine"},
        # A cache outage meets every request: its first line says it all.
        "once_a_minute": {"()": "guides_site.operations.outages.OncePerInterval", "seconds": 60},
    },
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id", "refusals_in_one_line"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING")},
    "loggers": {
        "django": {"handlers": [], "level": "NOTSET"},
        # runserver's line for each request, as Django shows it by default.
        "django.server": {"handlers": [], "level": "INFO", "propagate": True},
        "guides_site.cache": {"filters": ["once_a_minute"]},
        "guides_site.limits.counters": {"filters": ["once_a_minute"]},
    },
}

# django-log-request-id: the proxy's X-Request-ID if it sent a safe one
# (guides_site/operations/middleware.py), else a new one; sent back in the response.
LOG_REQUEST_ID_HEADER = "HTTP_X_REQUEST_ID"
GENERATE_REQUEST_ID_IF_NOT_IN_HEADER = True
REQUEST_ID_RESPONSE_HEADER = "X-Request-ID"

# Request bodies (guides_site/operations/middleware.py): readers' forms send a few kilobytes;
# the admin's guide form, with a hundred steps, far more. Bigger bodies get a 413 unread.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", 64 * 1024)
ADMIN_REQUEST_BODY_MAX_BYTES = env_int("ADMIN_REQUEST_BODY_MAX_BYTES", 10 * 1024 * 1024)
# No form takes a file: a request with one is refused (TooManyFilesSent, a 400) before any of
# it is kept, and no handler would keep it in memory or on disk anyway.
DATA_UPLOAD_MAX_NUMBER_FILES = 0
FILE_UPLOAD_HANDLERS = []

# HSTS without includeSubDomains and preload is this site's choice (above), not an oversight.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# Backups (backup_db, restore_db): in production outside the checkout, which a deploy may
# replace, in the system's place for backups; while developing, in backups/ (ignored by git).
# The newest BACKUP_KEEP are kept, older ones deleted after each backup.
BACKUP_DIR = Path(
    env_str("BACKUP_DIR", str(BASE_DIR / "backups") if DEBUG else "/var/backups/guides")
)
BACKUP_KEEP = env_int("BACKUP_KEEP", 14)
