"""rdec settings: one module, read from the environment (12-factor).

Every variable is documented once, in `.env.example`. App code reads `django.conf.settings`, never
`os.environ`. With no variable set at all, the platform runs on SQLite in `./var` with background
jobs run in-process.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from csp import constants as csp
from django.core.exceptions import ImproperlyConfigured

from rdec.core import basemap

BASE_DIR = Path(__file__).resolve().parent


def envbool(name: str, default: str = "False") -> bool:
    value = os.getenv(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (true/false), got {value!r}")


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


def envsecret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (Docker/Kubernetes secrets)."""
    path = os.getenv(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points to an unreadable file: {path}") from exc
    return os.getenv(name, default)


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.getenv("RDEC_DATA_DIR", "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data dir."""
    key = envsecret("SECRET_KEY")
    if key:
        return key
    keyfile = DATA_DIR / "secret_key"
    if not keyfile.exists():
        keyfile.write_text(secrets.token_urlsafe(50), encoding="utf-8")
        keyfile.chmod(0o600)
    return keyfile.read_text(encoding="utf-8").strip()


SECRET_KEY = _secret_key()
# Whether SECRET_KEY is set by the environment (then a restored key file is not the one in use).
SECRET_KEY_FROM_ENVIRONMENT = bool(envsecret("SECRET_KEY"))
DEBUG = envbool("DEBUG")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.getenv("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# whether the operator set SITE_URL: `rdec demo --port N` points links at its own port otherwise
SITE_URL_CONFIGURED = bool(os.getenv("SITE_URL"))
SITE_NAME = os.getenv("SITE_NAME", "臺中市政府研究發展考核委員會")
# the emblem in the header (an image URL, e.g. the city's own SVG); default: the neutral mark core/emblem.svg
RDEC_EMBLEM_URL = os.getenv("RDEC_EMBLEM_URL", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework_api_key",
    "drf_spectacular",
    "axes",
    "rdec.core",
    "rdec.petitions",
    "rdec.analytics",
    "rdec.strategy",
    "rdec.tracking",
    "rdec.opendata",
    "rdec.tenders",
    "rdec.documents",
    "rdec.participation",
    "rdec.transparency",
    "rdec.programs",
    "rdec.polls",
    "rdec.security",
    "rdec.dashboard",
]

MIDDLEWARE = [
    # stores anonymous public pages when RDEC_PUBLIC_PAGE_CACHE_SECONDS > 0 (rdec/core/page_cache.py)
    "rdec.core.page_cache.UpdatePublicPageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every answer (the CSP block below)
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    # POST /api/v1/submissions/ with an API key is answered here (see rdec/petitions/middleware.py)
    "rdec.petitions.middleware.QueuedIntakeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "rdec.core.middleware.ApiLanguageMiddleware",
    "rdec.core.middleware.RejectNulCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rdec.core.middleware.RequestContextMiddleware",
    # a lost database answers 503 with Retry-After, not 500 (docs/security.md, load and faults)
    "rdec.core.middleware.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",
    "rdec.core.page_cache.FetchFromPublicPageCacheMiddleware",
]

ROOT_URLCONF = "rdec.urls"
WSGI_APPLICATION = "rdec.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

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
                "django.template.context_processors.i18n",
                "rdec.core.context_processors.platform",
                "csp.context_processors.nonce",  # {{ CSP_NONCE }} for the rare inline script
            ],
        },
    },
]

# --- Database: SQLite in the data dir unless DATABASE_URL is set --------------------------------
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'rdec.sqlite3'}",
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "600"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL: readers never wait for the writer; IMMEDIATE: a transaction takes the write lock when it
    # begins (waiting up to SQLITE_BUSY_TIMEOUT_SECONDS, default 20, for other writers) instead of
    # failing half-way. 5 s was too short: 30 clients posting at once saw "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
        f"PRAGMA busy_timeout={envint('SQLITE_BUSY_TIMEOUT_SECONDS', '20') * 1000};",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when REDIS_URL is set, else per-process memory ---------------------------------
REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    # a miss while Redis cannot be reached, instead of an error on every page (rdec/core/cache.py)
    CACHES = {
        "default": {
            "BACKEND": "rdec.core.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# seconds an anonymous public HTML page is served from the shared cache (0: off; rdec/core/page_cache.py)
RDEC_PUBLIC_PAGE_CACHE_SECONDS = envint("RDEC_PUBLIC_PAGE_CACHE_SECONDS", "0")

# --- Background jobs: Celery on Redis, in-process when no broker is set -------------------------
CELERY_BROKER_URL = os.getenv("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Asia/Taipei"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# /healthz (rdec/core/health.py): how long it waits for a worker's answer to its ping, and how many
# queued jobs count as a backlog; either makes the answer "degraded" (still 200)
RDEC_HEALTH_WORKER_TIMEOUT_MS = envint("RDEC_HEALTH_WORKER_TIMEOUT_MS", "1000")
RDEC_HEALTH_QUEUE_BACKLOG = envint("RDEC_HEALTH_QUEUE_BACKLOG", "10000")
CELERY_BEAT_SCHEDULE: dict = {
    "strategy-reminders": {"task": "rdec.strategy.tasks.reminders", "schedule": 3600.0},
    "petition-deadlines": {"task": "rdec.petitions.tasks.deadline_checks", "schedule": 3600.0},
    "petition-submissions": {"task": "rdec.petitions.tasks.file_waiting_submissions", "schedule": 10.0},
    "tracking-reminders": {"task": "rdec.tracking.tasks.reminders", "schedule": 3600.0},
    "tender-reminders": {"task": "rdec.tenders.tasks.reminders", "schedule": 3600.0},
    "opendata-nightly": {"task": "rdec.opendata.tasks.nightly", "schedule": crontab(hour=2, minute=30)},
    # proposals whose last day of support has passed: 成案 or 未成案 (docs/participation.md)
    "participation-close-endorsements": {
        "task": "rdec.participation.tasks.close_due_endorsements",
        "schedule": crontab(hour=0, minute=5),
    },
    # transparency: MOUs past their term expire; the registers' open data regenerated (docs/transparency.md)
    "transparency-expire-mous": {
        "task": "rdec.transparency.tasks.expire_due_mous",
        "schedule": crontab(hour=0, minute=10),
    },
    "transparency-open-data": {
        "task": "rdec.transparency.tasks.publish_open_data",
        "schedule": crontab(hour=2, minute=30),
    },
    "transparency-digest": {
        "task": "rdec.transparency.tasks.weekly_digest",
        "schedule": crontab(hour=7, minute=30, day_of_week=1),
    },
    # the case router learns from the week's transfers (rdec.analytics.router_versions)
    "router-retrain": {
        "task": "rdec.analytics.tasks.retrain_router",
        "schedule": crontab(hour=3, minute=15, day_of_week="sunday"),
    },
}
# case router retraining: a new version replaces the one in use only if its held-out agency top-1 is
# at most this much lower and its precision at this coverage is not lower; labels made today count
# RECENT_WEIGHT times, halving towards once every HALF_LIFE_DAYS (docs/analytics.md)
RDEC_ROUTER_GATE_TOLERANCE = float(os.getenv("RDEC_ROUTER_GATE_TOLERANCE", "0.01"))
RDEC_ROUTER_GATE_COVERAGE = float(os.getenv("RDEC_ROUTER_GATE_COVERAGE", "0.7"))
RDEC_ROUTER_RECENT_WEIGHT = envint("RDEC_ROUTER_RECENT_WEIGHT", "3")
RDEC_ROUTER_HALF_LIFE_DAYS = envint("RDEC_ROUTER_HALF_LIFE_DAYS", "180")

# --- Passwords, login lockout ---------------------------------------------------------------------
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # repeated characters, keyboard rows, the username or one word twice, the published demo password
    {"NAME": "rdec.core.passwords.RepeatedCharactersValidator"},
    {"NAME": "rdec.core.passwords.KeyboardSequenceValidator"},
    {"NAME": "rdec.core.passwords.RepeatedWordValidator"},
    {"NAME": "rdec.core.passwords.DenylistValidator"},
]
# a demo installation (`rdec demo` marks its data dir) accepts the published demo password
RDEC_DEMO = envbool("RDEC_DEMO") or (DATA_DIR / "demo-installation").exists()
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
AXES_COOLOFF_TIME = envint("LOGIN_LOCKOUT_MINUTES", "15") / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# the client's address as everywhere else (rdec/core/net.py: TRUSTED_PROXIES), and the address-wide
# limit against password spraying and the per-account slowdown (rdec/core/logins.py)
AXES_CLIENT_IP_CALLABLE = "rdec.core.net.client_ip"
AXES_HANDLER = "rdec.core.logins.LoginAttemptHandler"
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", "20")
LOGIN_ACCOUNT_SLOWDOWN_FAILURES = envint("LOGIN_ACCOUNT_SLOWDOWN_FAILURES", "10")
LOGIN_ACCOUNT_DELAY_SECONDS = float(os.getenv("LOGIN_ACCOUNT_DELAY_SECONDS", "2"))
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", str(8 * 3600))
SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_TLS_PROXY") else None
# the proxies whose X-Forwarded-For hops are believed (addresses or networks; empty: REMOTE_ADDR only)
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES")
# behind TLS: plain HTTP is redirected, and browsers told to use HTTPS only (HSTS)
# (unset or empty: on behind TLS, off otherwise)
SECURE_SSL_REDIRECT = (
    envbool("SECURE_SSL_REDIRECT") if os.getenv("SECURE_SSL_REDIRECT") else envbool("BEHIND_TLS_PROXY")
)
SECURE_HSTS_SECONDS = (
    envint("SECURE_HSTS_SECONDS", "0")
    if os.getenv("SECURE_HSTS_SECONDS")
    else (31536000 if envbool("BEHIND_TLS_PROXY") else 0)
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "True")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # the load balancer's health check speaks plain HTTP
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Content-Security-Policy (django-csp) and Permissions-Policy: see docs/security.md ---------------
# Scripts only from our own origin (static files) or a tag carrying this request's nonce: no inline
# scripts, no inline event handlers, no javascript: URLs, no eval. Styles may be inline (Leaflet and
# Swagger UI set style attributes). Everything else from our own origin; images also as data: URIs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp.SELF],
        # report-sample: a refusal names the first characters of what was refused
        "script-src": [csp.SELF, csp.NONCE, csp.REPORT_SAMPLE],
        "style-src": [csp.SELF, csp.UNSAFE_INLINE],
        "img-src": [csp.SELF, "data:"],
        "font-src": [csp.SELF, "data:"],
        "connect-src": [csp.SELF],
        "object-src": [csp.NONE],
        "base-uri": [csp.SELF],
        "form-action": [csp.SELF],
        "frame-ancestors": [csp.NONE],
    },
}
# The maps' basemap (docs/maps.md): none by default (offline: district and village boundaries only);
# RDEC_BASEMAP_URL=nlsc for the national 臺灣通用電子地圖 (WMTS) in production, or any {z}/{x}/{y} template.
# The tile host, and only it, is added to img-src.
RDEC_BASEMAP = basemap.config(
    os.getenv("RDEC_BASEMAP_URL", ""),
    os.getenv("RDEC_BASEMAP_ATTRIBUTION", ""),
    os.getenv("RDEC_BASEMAP_MAX_ZOOM", ""),
)
if RDEC_BASEMAP:
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(basemap.origin(RDEC_BASEMAP))
# No page uses the camera, microphone, payment or sensors; the petition form's map takes a click,
# not the device's position, so geolocation is refused as well.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
}

# --- i18n: zh-Hant first, English second -----------------------------------------------------------
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Taipei"

# --- Static files (whitenoise), front-end packages copied from npm into static/vendor --------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = envbool("WHITENOISE_USE_FINDERS", "True")

# --- E-mail ------------------------------------------------------------------------------------------
# The default prints to the console with recipients masked and link tokens cut (rdec.core.mail).
EMAIL_BACKEND = os.getenv("EMAIL_BACKEND", "rdec.core.mail.MaskedConsoleEmailBackend")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envsecret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "rdec@localhost")

# --- SMS and the LINE official account (rdec/core/sms.py, rdec/participation/line.py) -----------------
# Dotted paths of the senders; empty: the defaults that send nothing (SMS: LoggingSmsSender, logs that it
# would, the number masked and no text; `rdec demo` then uses ConsoleSmsSender. LINE: RecordingLineSender, the request
# recorded as a Notice). Production LINE: rdec.participation.line.HttpLineSender with the channel token.
RDEC_SMS_SENDER = os.getenv("RDEC_SMS_SENDER", "")
RDEC_LINE_SENDER = os.getenv("RDEC_LINE_SENDER", "")
RDEC_LINE_CHANNEL_TOKEN = envsecret("RDEC_LINE_CHANNEL_TOKEN")
RDEC_LINE_API_URL = os.getenv("RDEC_LINE_API_URL", "https://api.line.me")

# --- REST API -----------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rdec.core.api.authentication.ApiKeyAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "rdec.core.api.pagination.Pagination",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "rdec.core.api.errors.exception_handler",
    # JSON bodies with a size and depth limit (rdec/core/api/parsers.py); forms and uploads as DRF's
    "DEFAULT_PARSER_CLASSES": [
        "rdec.core.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "PAGE_SIZE": 50,
}
API_KEY_CUSTOM_HEADER = "HTTP_AUTHORIZATION"
API_KEY_CACHE_SECONDS = envint("API_KEY_CACHE_SECONDS", "30")  # see rdec/core/api/authentication.py
# queued intake: how long (µs) a commit waits for submissions already on their way (docs/petitions.md)
RDEC_INTAKE_COMMIT_DELAY_US = envint("RDEC_INTAKE_COMMIT_DELAY_US", "2000")
# queued intake: while submissions arrive faster than this a second, filing works at most this
# share of the time (petitions.tasks.FilingPace; rate 0: no pacing)
RDEC_FILING_YIELD_RATE = envint("RDEC_FILING_YIELD_RATE", "100")
RDEC_FILING_YIELD_DUTY_PERCENT = envint("RDEC_FILING_YIELD_DUTY_PERCENT", "25")
SPECTACULAR_SETTINGS = {
    "TITLE": "rdec API",
    "DESCRIPTION": "臺中市政府研究發展考核委員會 平臺 API。Errors are JSON with zh-Hant field messages.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "rdec.core.api.schema.add_error_responses",
    ],
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # fields named "status" in several modules: the petitions' keeps its earlier name (StatusEnum)
    "ENUM_NAME_OVERRIDES": {
        "StatusEnum": "rdec.petitions.models.Case.Status",
        "DirectionEnum": "rdec.strategy.models.Target.Direction",
        "SecurityAssetKindEnum": "rdec.security.models.Asset.Kind",
    },
    "SWAGGER_UI_DIST": "/static/vendor/swagger-ui-dist",
    "SWAGGER_UI_FAVICON_HREF": "/static/vendor/swagger-ui-dist/favicon-32x32.png",
    # deep links put a link inside each operation's expand button (axe: nested-interactive)
    "SWAGGER_UI_SETTINGS": {"deepLinking": False},
}

# --- Logging: to stderr; personal data never written (see docs/personal-data.md) ------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # a safety net: phones, ID numbers, e-mails and introduced names masked in every record
    "filters": {"personal_data": {"()": "rdec.core.logmask.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]}
    },
    "root": {"handlers": ["console"], "level": os.getenv("LOG_LEVEL", "INFO")},
    "loggers": {
        # runserver's request lines (the demo): through the same filter, without query strings
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "weasyprint": {"level": "WARNING"},  # PDF reports: a line per layout step at INFO
        "fontTools": {"level": "WARNING"},
    },
}

# --- Platform -------------------------------------------------------------------------------------------
RDEC_CITY_CODE = os.getenv("RDEC_CITY_CODE", "66000")
# uploaded files (rdec/core/attachments.py, rdec/core/tabular.py; docs/security.md "Uploaded files")
RDEC_UPLOAD_MAX_BYTES = envint("RDEC_UPLOAD_MAX_BYTES", str(10 * 1024 * 1024))  # an attachment or photo
RDEC_OPENDATA_UPLOAD_MAX_BYTES = envint("RDEC_OPENDATA_UPLOAD_MAX_BYTES", str(200 * 1024 * 1024))
RDEC_MAX_IMAGE_PIXELS = envint("RDEC_MAX_IMAGE_PIXELS", "40000000")  # width × height, checked before decoding
RDEC_ZIP_MAX_ENTRIES = envint("RDEC_ZIP_MAX_ENTRIES", "2000")  # .xlsx/.ods/.docx/.odt are zips
RDEC_ZIP_MAX_UNCOMPRESSED_BYTES = envint("RDEC_ZIP_MAX_UNCOMPRESSED_BYTES", str(50 * 1024 * 1024))
RDEC_ZIP_MAX_RATIO = envint("RDEC_ZIP_MAX_RATIO", "100")  # per entry above 1 MiB unpacked
RDEC_IMPORT_MAX_ROWS = envint("RDEC_IMPORT_MAX_ROWS", "100000")  # rows of an uploaded table

# --- Open data quality checks: fetching the files that resources link to -------------------------
# Private and loopback addresses are refused (against SSRF) unless this is true (a demo or tests
# that serve their own files).
RDEC_OPENDATA_FETCH_PRIVATE = envbool("RDEC_OPENDATA_FETCH_PRIVATE", "False")
RDEC_OPENDATA_FETCH_TIMEOUT = envint("RDEC_OPENDATA_FETCH_TIMEOUT", "20")
RDEC_OPENDATA_FETCH_MAX_BYTES = envint("RDEC_OPENDATA_FETCH_MAX_BYTES", str(200 * 1024 * 1024))
# The hosts the checker may fetch (names or addresses; empty: any public host), the nightly run's
# concurrency and its pause between two requests to the same host (politeness, seconds).
RDEC_OPENDATA_FETCH_HOSTS = envlist("RDEC_OPENDATA_FETCH_HOSTS", "")
RDEC_OPENDATA_CHECK_CONCURRENCY = envint("RDEC_OPENDATA_CHECK_CONCURRENCY", "4")
RDEC_OPENDATA_HOST_DELAY = float(os.getenv("RDEC_OPENDATA_HOST_DELAY", "1.0"))
# Publishing to data.gov.tw through its v2 API (docs/opendata.md): empty URL = publishing off.
RDEC_OPENDATA_PORTAL_URL = os.getenv("RDEC_OPENDATA_PORTAL_URL", "")
RDEC_OPENDATA_PORTAL_KEY = envsecret("RDEC_OPENDATA_PORTAL_KEY")
RDEC_OPENDATA_PORTAL_AUTO = envbool("RDEC_OPENDATA_PORTAL_AUTO", "true")
RDEC_OPENDATA_PORTAL_RETRIES = envint("RDEC_OPENDATA_PORTAL_RETRIES", "3")
RDEC_OPENDATA_PORTAL_RETRY_DELAY = float(os.getenv("RDEC_OPENDATA_PORTAL_RETRY_DELAY", "30"))
RDEC_OPENDATA_PORTAL_TIMEOUT = float(os.getenv("RDEC_OPENDATA_PORTAL_TIMEOUT", "20"))
RDEC_OPENDATA_CATALOG_TITLE = os.getenv("RDEC_OPENDATA_CATALOG_TITLE", "")

# --- Opinion polls' open microdata: districts with fewer completes are merged (docs/polls.md) ----------
# 30 is the project's choice, not a confirmed rule (the same n as the small-subgroup warning): editable
RDEC_POLLS_MICRODATA_MIN_DISTRICT = envint("RDEC_POLLS_MICRODATA_MIN_DISTRICT", "30")

# --- Tracking (列管) cycles: defaults from the rules, see docs/tracking.md --------------------------
RDEC_TRACKING_MINUTES_WORKING_DAYS = envint("RDEC_TRACKING_MINUTES_WORKING_DAYS", "3")
RDEC_TRACKING_COUNCIL_REPORT_DAYS = envint("RDEC_TRACKING_COUNCIL_REPORT_DAYS", "7")
RDEC_TRACKING_COUNCIL_REMINDER_DAYS = tuple(
    int(d) for d in envlist("RDEC_TRACKING_COUNCIL_REMINDER_DAYS", "14,7")
)
RDEC_TRACKING_INTERPELLATION_DAYS = envint("RDEC_TRACKING_INTERPELLATION_DAYS", "7")
RDEC_TRACKING_REMINDER_WORKING_DAYS = envint("RDEC_TRACKING_REMINDER_WORKING_DAYS", "5")
RDEC_TRACKING_REPORT_CYCLE = os.getenv("RDEC_TRACKING_REPORT_CYCLE", "monthly")
