"""Settings for charterdesk, read from the environment (see .env.example).

Defaults run the product with no services installed: SQLite and Celery's
embedded filesystem broker. Production sets DATABASE_URL, CELERY_BROKER_URL,
SECRET_KEY and DEBUG=false.
"""
from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)


def env_bool(name: str, default: bool) -> bool:
    """Strict boolean: a typo such as DEBUG=ture must fail loudly, not read as false."""
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise environ.ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env.str(
    "SECRET_KEY",
    default="django-insecure-dev-only-key-change-me" if DEBUG else environ.Env.NOTSET,
)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",  # the form renderer below finds Django's widget templates through it
    "crispy_forms",
    "crispy_bootstrap5",
    "phonenumber_field",
    "django_htmx",
    "simple_history",
    "axes",
    "helpdesk.accounts",
    "helpdesk.notifications",
    "helpdesk.core",
    "tickets",
    "standards",
    "desk",
    "visits",
    "largework",
    "charter",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "helpdesk.accounts.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last: it turns a sign-in refused for too many failures into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Sign-in throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for
# one username, or from one address, sign-in is refused for the cool-off time,
# even with the right password; a success resets the count. Admins unlock in
# the admin (Axes → access attempts) or with `manage.py axes_reset_username`.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

ROOT_URLCONF = "helpdesk.urls"
WSGI_APPLICATION = "helpdesk.wsgi.application"
ASGI_APPLICATION = "helpdesk.asgi.application"

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
                "helpdesk.core.context_processors.service_contacts",
            ],
        },
    },
]

# Widgets render through TEMPLATES, so templates/django/forms/ can override
# Django's own: select.html draws its options inline instead of one template
# include per option, which on the staff ticket page (three selects of every
# engineer) was a third of the page's time.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # WAL lets the web process read while the worker writes in the quick start.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
    # Web, worker and beat write at once in the quick start. A deferred
    # transaction that reads and then writes fails at once with "database is
    # locked" when another writer got in between (WAL cannot wait there);
    # BEGIN IMMEDIATE takes the write lock up front and waits for it instead.
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ko"
LANGUAGES = [("ko", _("Korean")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Seoul"
USE_I18N = True
USE_TZ = True

PHONENUMBER_DEFAULT_REGION = "KR"
PHONENUMBER_DEFAULT_FORMAT = "NATIONAL"

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Bootstrap, htmx and Chart.js come from npm at set-up (package.json), never a CDN.
NODE_MODULES = BASE_DIR / "node_modules"
if NODE_MODULES.exists():
    STATICFILES_DIRS += [
        ("vendor/bootstrap", NODE_MODULES / "bootstrap" / "dist"),
        ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
        ("vendor/chartjs", NODE_MODULES / "chart.js" / "dist"),
    ]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage",
        )
    },
}
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(BASE_DIR / "media")))

# Attachments: checked by size, extension and content sniffing (tickets.uploads).
ATTACHMENT_MAX_BYTES = env.int("ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ATTACHMENT_ALLOWED_EXTENSIONS = env.list(
    "ATTACHMENT_ALLOWED_EXTENSIONS",
    default=["jpg", "jpeg", "png", "gif", "pdf", "txt", "log", "csv", "xlsx", "docx", "pptx", "hwp", "zip"],
)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Service contacts (CT1), shown in every page footer.
SERVICE_CONTACT_NAME = env.str("SERVICE_CONTACT_NAME", default="서비스지원부 업무지원팀")
SERVICE_CONTACT_NAME_EN = env.str(
    "SERVICE_CONTACT_NAME_EN", default="Service Support Department, Business Support Team"
)
SERVICE_CONTACT_PHONE = env.str("SERVICE_CONTACT_PHONE", default="052-203-0656~7")
SERVICE_CONTACT_EMAIL = env.str("SERVICE_CONTACT_EMAIL", default="eservice@hcnc.co.kr")

# Large-scale work's completion report as a PDF (BS3): a Korean TrueType font;
# when the file is missing, reportlab's built-in Korean CID font is used instead.
REPORT_FONT_PATH = env.str("REPORT_FONT_PATH", default="/usr/share/fonts/truetype/nanum/NanumGothic.ttf")

# VIP customers (MT8): heads of major departments and above, by position rank.
VIP_MIN_RANK = env.int("VIP_MIN_RANK", default=50)

# E-mail
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="charterdesk <eservice@hcnc.co.kr>")

# Celery: the embedded filesystem broker needs no service for the quick start.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict = {}
if CELERY_BROKER_URL == "filesystem://":
    _broker_dir = VAR_DIR / "broker"
    for _sub in ("in", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "in"),
        "data_folder_out": str(_broker_dir / "in"),
        "processed_folder": str(_broker_dir / "processed"),
        # Without this kombu writes its exchange table to ./control in the CWD.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# Beat: one entry per periodic job, each recording its last run (TaskRun, shown by /healthz).
CELERY_BEAT_SCHEDULE: dict = {
    "deadline-sweep": {"task": "charter.tasks.deadline_sweep", "schedule": 60.0},
    "repeat-fault-sweep": {"task": "charter.tasks.repeat_fault_sweep", "schedule": 60.0},
    "dashboard-snapshots": {"task": "charter.tasks.dashboard_snapshots", "schedule": 60.0},
    "outbox-retry": {"task": "helpdesk.notifications.tasks.outbox_retry_sweep", "schedule": 30.0},
    "visit-sweep": {"task": "visits.tasks.visit_sweep", "schedule": 60.0},
    "callback-sweep": {"task": "desk.tasks.callback_sweep", "schedule": 60.0},
    "largework-sweep": {"task": "largework.tasks.largework_sweep", "schedule": 60.0},
}

# PH1: the phone system posts answered calls with "Authorization: Bearer <token>";
# empty keeps the endpoint closed.
PHONE_SYSTEM_TOKEN = env.str("PHONE_SYSTEM_TOKEN", default="")

# --- Notifications -----------------------------------------------------------
# Absolute base for links in e-mails and SMS (no request there to build them from).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")
SMS_BACKEND = env.str("SMS_BACKEND", default="helpdesk.notifications.sms.ConsoleSMSBackend")
SMS_FILE_PATH = env.str("SMS_FILE_PATH", default=str(VAR_DIR / "sms.log"))
SMS_SENDER = env.str("SMS_SENDER", default="0522030656")
SOLAPI_API_KEY = env.str("SOLAPI_API_KEY", default="")
SOLAPI_API_SECRET = env.str("SOLAPI_API_SECRET", default="")
SOLAPI_BASE_URL = env.str("SOLAPI_BASE_URL", default="https://api.solapi.com")
# Fallback customer quiet hours when no service standard is active.
NOTIFY_QUIET_START = env.str("NOTIFY_QUIET_START", default="21:00")
NOTIFY_QUIET_END = env.str("NOTIFY_QUIET_END", default="08:00")
NOTIFY_CLAIM_LEASE_SECONDS = env.int("NOTIFY_CLAIM_LEASE_SECONDS", default=300)

CACHES = {"default": env.cache("CACHE_URL", default="locmemcache://")}

# Security: production (DEBUG=false) must pass `manage.py check --deploy`.
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe /healthz over plain HTTP, without X-Forwarded-Proto;
    # a redirect would read as "down".
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
