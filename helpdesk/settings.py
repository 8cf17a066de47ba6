"""Settings for charterdesk, read from the environment (see .env.example).

Defaults run the product with no services installed: SQLite and Celery's
embedded filesystem broker. Production sets DATABASE_URL, CELERY_BROKER_URL,
SECRET_KEY and DEBUG=false.
"""
from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import environ
from celery.schedules import crontab
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
    "surveys",
    "feedback",
    "corrections",
    "audits",
    "charter",
    "conversations",
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
    # Permissions from the shared cache, before ModelBackend reads them with two
    # queries (helpdesk/accounts/permission_cache.py); it signs nobody in.
    "helpdesk.accounts.permission_cache.CachedPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PERMISSION_CACHE_SECONDS = env.int("PERMISSION_CACHE_SECONDS", default=300)
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
# A kept connection is checked before each request reuses it, so a database
# restart costs one reconnect instead of a failed request.
DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", env.bool("CONN_HEALTH_CHECKS", default=True))
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
    if DEBUG:
        # axe-core, which the browser journeys load from the live server
        # (tests/e2e/helpers.py), is a test tool: production does not collect it.
        # It ships its build at the package root (axe.min.js), not in dist/.
        STATICFILES_DIRS += [("vendor/axe-core", NODE_MODULES / "axe-core")]
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

# The charter page's public summary (IM1): with it on, everyone, signed-out
# visitors included, sees last month's department figure beside each measured
# clause. Off by default: the figures are the department's to publish.
SCOREBOARD_PUBLIC = env_bool("SCOREBOARD_PUBLIC", False)

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
    # Its own folder per run where several run on one machine (a test, a second checkout).
    _broker_dir = Path(env.str("CELERY_BROKER_DIR", default=str(VAR_DIR / "broker")))
    for _sub in ("in", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "in"),
        "data_folder_out": str(_broker_dir / "in"),
        "processed_folder": str(_broker_dir / "processed"),
        # Without this kombu writes its exchange table to ./control in the CWD.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
        # kombu polls the folder and takes one message per poll, once a second by
        # default: about two tasks a second, so the demo's seeding backlog kept
        # beat's sweeps waiting behind it for minutes. A tenth of a second keeps
        # up with the quick start at the cost of a few idle directory listings.
        "polling_interval": 0.1,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BEAT_SCHEDULE_FILENAME = env.str("CELERY_BEAT_SCHEDULE_FILENAME", default=str(VAR_DIR / "celerybeat-schedule"))
# Beat: one entry per periodic job, each recording its last run (TaskRun, shown by /healthz).
CELERY_BEAT_SCHEDULE: dict = {
    "deadline-sweep": {"task": "charter.tasks.deadline_sweep", "schedule": 60.0},
    "repeat-fault-sweep": {"task": "charter.tasks.repeat_fault_sweep", "schedule": 60.0},
    "dashboard-snapshots": {"task": "charter.tasks.dashboard_snapshots", "schedule": 60.0},
    "outbox-retry": {"task": "helpdesk.notifications.tasks.outbox_retry_sweep", "schedule": 30.0},
    "visit-sweep": {"task": "visits.tasks.visit_sweep", "schedule": 60.0},
    "callback-sweep": {"task": "desk.tasks.callback_sweep", "schedule": 60.0},
    "largework-sweep": {"task": "largework.tasks.largework_sweep", "schedule": 60.0},
    "survey-sweep": {"task": "surveys.tasks.survey_sweep", "schedule": 60.0},
    "feedback-sweep": {"task": "feedback.tasks.feedback_sweep", "schedule": 60.0},
    # IM1: the scoreboard's rollup — today's live part every 5 minutes, the last weeks nightly.
    "scoreboard-live": {"task": "charter.tasks.scoreboard_live", "schedule": 300.0},
    "scoreboard-recent": {"task": "charter.tasks.scoreboard_recent", "schedule": crontab(hour=1, minute=30)},
    # IM1: last month's report on the first business day (a no-op on every other run).
    "monthly-report": {"task": "charter.tasks.monthly_report", "schedule": 1800.0},
}

# --- Deadlines through broker outages, and one beat (issue 16) -----------------
# After the broker comes back, the next sweep must run within a minute. Two
# things delayed it: the worker's reconnect back-off (kombu's 2 s, +2 s per
# failure, up to 30 s; after a 90 s outage it tried every 20 s) and beat
# dropping a send the broker refused until the entry's next turn.
# Reconnect at most every 5 s (1, 2, 3, 4, 5, 5 … s), for ever: with the default
# of 100 retries a worker would give up and exit during a long outage. Kombu reads
# the intervals when it reopens a channel; helpdesk.core.broker_reconnect makes
# the worker's reconnect loop read them too.
CELERY_BROKER_TRANSPORT_OPTIONS.update(interval_start=1, interval_step=1, interval_max=5)
CELERY_BROKER_CONNECTION_RETRY = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None
CELERY_WORKER_CONSUMER = "helpdesk.core.broker_reconnect:BoundedReconnectConsumer"
if CELERY_BROKER_URL.startswith(("redis://", "rediss://")):
    CELERY_BROKER_TRANSPORT_OPTIONS.update(
        # A broker host that vanishes without closing TCP (failover, a firewall)
        # would otherwise hang a connect for the kernel's ~2 min and a publish for
        # ever; 5 s each keeps a stuck beat tick well inside its 30 s lease.
        socket_connect_timeout=5,
        socket_timeout=5,
        # Ping idle connections every 10 s (kombu's default 25 s), so a consumer on
        # a half-open connection notices within ~21 s rather than ~51 s.
        health_check_interval=10,
        # retry_on_timeout stays off: redis-py would resend a publish that timed
        # out, which may have reached Redis (a duplicate); kombu's own publish
        # retry (CELERY_TASK_PUBLISH_RETRY_POLICY, 3 tries within ~2 s) reconnects first.
    )
# One beat sends: a beat holds a lease row in the database (helpdesk.core.beat_lease)
# and renews it every third of BEAT_LEASE_SECONDS; another beat is a standby that
# says so in its log, sends nothing and takes over once the lease runs out. The
# scheduler also resends, once the broker is back, what the broker refused.
CELERY_BEAT_SCHEDULER = "helpdesk.core.beat_scheduler:LeasedScheduler"
BEAT_LEASE_SECONDS = 30

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
# A form sent without its token: our own page, not Django's English one.
CSRF_FAILURE_VIEW = "helpdesk.core.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    # Load balancers probe /readyz, monitoring /healthz, over plain HTTP without
    # X-Forwarded-Proto; a redirect would read as "down".
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

# --- Browser policies and the password reset (issue 16) ----------------------
# Content-Security-Policy (django-csp) and Permissions-Policy
# (django-permissions-policy), on in every configuration, development too, so
# the browser journeys meet a violation before production does. Both go on
# pages only: they sit below WhiteNoise, which answers /static/ itself.
INSTALLED_APPS += ["csp"]  # its system checks catch settings left in the pre-4.0 CSP_* form
MIDDLEWARE[MIDDLEWARE.index("whitenoise.middleware.WhiteNoiseMiddleware") + 1 : 0] = [
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
]
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        # Scripts only from our own files: no inline <script>, no on…= handler,
        # no eval (htmx runs with allowEval off; data reaches scripts through
        # json_script, which is data, not code).
        "script-src": ["'self'"],
        # Templates carry style="…" attributes (white-space: pre-wrap, a chart's
        # height), so inline styles stay allowed; a style can change how a page
        # looks, not run code. <style> elements, though, must come from our
        # files where the browser knows style-src-elem (htmx's own indicator
        # <style> is switched off in base.html).
        "style-src": ["'self'", "'unsafe-inline'"],
        "style-src-elem": ["'self'"],
        # data: for Bootstrap's SVG icons in its CSS and for a signature drawn
        # again from its PNG data URL after a form error (visits/signature.js).
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}
# Powerful browser features nothing here uses, denied to the pages and to
# anything they might embed. No page reads the position or opens the camera:
# photos of a fault are plain file inputs, which need no camera permission.
# Only features Chromium knows: an unknown one (bluetooth, on Linux) makes it
# log an error on every page, which the browser journeys count as a failure.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture",
        "encrypted-media", "geolocation", "gyroscope", "hid", "idle-detection", "magnetometer",
        "microphone", "midi", "payment", "publickey-credentials-get", "screen-wake-lock", "serial",
        "usb", "xr-spatial-tracking",
    )
}

# Password reset (Django's views, helpdesk.core.password_reset): the request
# form is limited per client address and per e-mail address (django-ratelimit,
# counting in CACHES["default"]: with several web processes that cache must be
# shared, i.e. Redis). A rate is "<count>/<period>", period s, m, h or d.
PASSWORD_RESET_LIMIT_PER_ADDRESS = env.str("PASSWORD_RESET_LIMIT_PER_ADDRESS", default="5/h")
PASSWORD_RESET_LIMIT_PER_EMAIL = env.str("PASSWORD_RESET_LIMIT_PER_EMAIL", default="3/h")
for _name in ("PASSWORD_RESET_LIMIT_PER_ADDRESS", "PASSWORD_RESET_LIMIT_PER_EMAIL"):
    # A typo would otherwise surface as a 500 on the first reset request.
    if not re.fullmatch(r"[1-9]\d*/(?:[1-9]\d*)?[smhd]", globals()[_name]):
        raise environ.ImproperlyConfigured(f"{_name} must read like 5/h (a count per s, m, h or d)")

# --- Production on several machines (issue 16; README "Production", deploy/) --
# Web machines behind nginx, workers on more machines, one PostgreSQL (and a
# read replica if you have one), Redis for the broker and CACHE_URL. Each
# setting below is off by default, so one machine runs as before.
#
# Attachments on shared storage: every web machine and worker must see the
# same files. "local" (default) is MEDIA_ROOT on disk (one machine, or a
# shared mount); "s3" is any S3-compatible store through django-storages.
# Files are only ever handed out by the permission-checked views (they open
# the file through the storage, never by path), so the bucket stays private:
# no public ACL, no URL given to a browser.
MEDIA_STORAGE = env.str("MEDIA_STORAGE", default="local")
if MEDIA_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env.str("AWS_STORAGE_BUCKET_NAME"),  # required: no default
            # Empty: AWS itself; otherwise the S3-compatible server's URL (MinIO, Ceph, NCP…).
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            # Empty keys: boto3's own chain (instance role, ~/.aws) finds them.
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            # A folder inside the bucket, so one bucket can hold several sites.
            "location": env.str("AWS_LOCATION", default=""),
            # "path" for most self-hosted S3 servers; empty lets boto3 choose.
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="") or None,
            "signature_version": "s3v4",
            # Never overwrite: a name clash gets a new name, as on disk.
            "file_overwrite": False,
            # No ACL sent: the bucket's own (private) policy applies; buckets
            # with ACLs disabled reject any.
            "default_acl": None,
            "querystring_auth": True,
        },
    }
elif MEDIA_STORAGE != "local":
    raise environ.ImproperlyConfigured(f"MEDIA_STORAGE must be local or s3, not {MEDIA_STORAGE!r}")

# A read replica for reporting (the team lead's dashboard, through
# helpdesk.core.replica.reporting_alias); writes never go there.
# In tests the alias mirrors the default database instead of being created.
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = env.db_url_config(DATABASE_REPLICA_URL)
    DATABASES["replica"]["ATOMIC_REQUESTS"] = False
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["helpdesk.core.replica.PrimaryWritesRouter"]

# The client's own address behind reverse proxies, for sign-in throttling
# (django-axes) and the password-reset limit (which asks axes). PROXY_COUNT is
# how many proxies that append to X-Forwarded-For stand in front of gunicorn:
# 0 (default) trusts only the connection's address, since a client can write
# any X-Forwarded-For it likes; 1 for deploy/nginx.conf alone; 2 for a cloud
# load balancer in front of nginx. The address is then the one the outermost
# proxy saw, counted from the right, so anything a client prepends is ignored.
PROXY_COUNT = env.int("PROXY_COUNT", default=0)
if PROXY_COUNT < 0:
    raise environ.ImproperlyConfigured("PROXY_COUNT must be 0 or more")
if PROXY_COUNT:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR")
    # ipware counts the proxies listed in the header, i.e. all but the last hop.
    AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1
    AXES_IPWARE_PROXY_ORDER = "left-most"
    # Not strict: a header longer than expected (a client's own entries in
    # front) still gives the right-hand address instead of none.
    IPWARE_STRICT = False
else:
    AXES_IPWARE_META_PRECEDENCE_ORDER = ("REMOTE_ADDR",)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}

# --- Mail in (issue 14, conversations.mail_in) --------------------------------
# Mail to the published address becomes tickets, replies to our notices become
# comments (README "Mail in"). MAIL_IN_ADDRESS is the address customers write to
# (the charter's eservice@hcnc.co.kr); with it set, every notice about a ticket
# carries Reply-To: <local>+<signed token>@<domain>, so a reply finds its ticket.
MAIL_IN_ADDRESS = env.str("MAIL_IN_ADDRESS", default="")
# The IMAP mailboxes polled every minute, comma-separated:
# imap://user:password@host:143/INBOX or imaps://user:password@host:993/INBOX
# (percent-encode @ : / , in the password). Empty: polling off (the quick start has no mail server).
MAIL_IN_MAILBOXES = [url.strip() for url in env.str("MAIL_IN_MAILBOXES", default="").split(",") if url.strip()]
# Where a processed message is moved; empty: it stays in the folder, marked \Seen.
# With a folder set, everything left in the inbox is read, seen or not, so a
# person opening a mail in Outlook first cannot hide it from the poller.
MAIL_IN_DONE_FOLDER = env.str("MAIL_IN_DONE_FOLDER", default="")
# A mail from an address no user has: "reply" (explain how to register, at most
# once a day per address) or "desk" (it waits on the desk's mail page).
MAIL_IN_UNKNOWN_SENDER = env.str("MAIL_IN_UNKNOWN_SENDER", default="reply")
if MAIL_IN_UNKNOWN_SENDER not in ("reply", "desk"):
    raise environ.ImproperlyConfigured(f"MAIL_IN_UNKNOWN_SENDER must be reply or desk, not {MAIL_IN_UNKNOWN_SENDER!r}")
# A bigger message is recorded and kept but not turned into a ticket (the sender is told).
MAIL_IN_MAX_BYTES = env.int("MAIL_IN_MAX_BYTES", default=25 * 1024 * 1024)
# Messages read per mailbox per run (beat runs it every minute): bounded work a run.
MAIL_IN_BATCH = env.int("MAIL_IN_BATCH", default=100)
# Other addresses of ours (comma-separated): mail from them is a loop, never a ticket.
# DEFAULT_FROM_EMAIL and MAIL_IN_ADDRESS always count.
MAIL_IN_OWN_ADDRESSES = env.list("MAIL_IN_OWN_ADDRESSES", default=[])
# Seconds before an IMAP connection or command gives up.
MAIL_IN_TIMEOUT = env.int("MAIL_IN_TIMEOUT", default=30)
# Office 365 (Exchange Online has no password sign-in for IMAP): the app's
# client-credentials token for mailboxes written imaps://mailbox@outlook.office365.com:993/INBOX?auth=xoauth2.
MAIL_IN_OAUTH_TOKEN_URL = env.str("MAIL_IN_OAUTH_TOKEN_URL", default="")
MAIL_IN_OAUTH_CLIENT_ID = env.str("MAIL_IN_OAUTH_CLIENT_ID", default="")
MAIL_IN_OAUTH_CLIENT_SECRET = env.str("MAIL_IN_OAUTH_CLIENT_SECRET", default="")
MAIL_IN_OAUTH_SCOPE = env.str("MAIL_IN_OAUTH_SCOPE", default="https://outlook.office365.com/.default")
CELERY_BEAT_SCHEDULE["mail-in-poll"] = {"task": "conversations.tasks.mail_in_poll", "schedule": 60.0}


# --- Notice preferences, digest and KakaoTalk (issue 14, helpdesk.notifications)

# --- REST API and tokens (issue 15, api) ---------------------------------------
# The API at /api/ (README "REST API"): Django REST framework with the OpenAPI
# schema from drf-spectacular, Swagger UI's files from drf-spectacular-sidecar
# (served by our static files: the CSP allows no CDN). Placed before "demo",
# which sits on top of every app.
INSTALLED_APPS[INSTALLED_APPS.index("demo"):INSTALLED_APPS.index("demo")] = [
    "rest_framework", "drf_spectacular", "drf_spectacular_sidecar", "api",
]
REST_FRAMEWORK = {
    # A bearer token first (its 401 carries WWW-Authenticate), then the session
    # with DRF's CSRF check for the browsable pages and the docs' "try it out".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "api.permissions.TokenScope",
        "api.permissions.RolePermission",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttles.TokenRateThrottle"],
    "DEFAULT_PARSER_CLASSES": ["api.parsers.BoundedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": None,  # every list pages by keyset itself (api.pagination)
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "charterdesk API",
    "DESCRIPTION": "Tickets, visits, calls and callbacks, reference data and the lead's figures, "
    "scoped exactly as the pages are. Errors: {code, message, errors}.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "PATH_CONVERTER_OVERRIDES": {"api_id": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}},
    "ENUM_NAME_OVERRIDES": {
        "TicketStatus": "tickets.lifecycle.Status",
        "VisitState": "visits.models.VisitState",
        "AssetType": "tickets.models.AssetType",
        "Priority": "tickets.models.Priority",
        "Kind": "tickets.models.Kind",
        "Channel": "tickets.models.Channel",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.error_responses",
    ],
}
# Tokens live at most this long (a personal token's page offers up to a year).
API_TOKEN_MAX_DAYS = env.int("API_TOKEN_MAX_DAYS", default=365)
# Requests per token (a person's session counts as one), and per service
# account's token; "<count>/<period>", period s, m, h or d (e.g. 600/m, 100/5m).
# Counted in CACHES["default"]: shared (Redis) with several web processes.
API_RATE_LIMIT = env.str("API_RATE_LIMIT", default="600/m")
API_RATE_LIMIT_SERVICE = env.str("API_RATE_LIMIT_SERVICE", default="1200/m")
# How long a token and its person are kept in the cache between requests
# (api.token_cache); any change made through Django clears them at once.
API_TOKEN_CACHE_SECONDS = env.int("API_TOKEN_CACHE_SECONDS", default=60)
for _name in ("API_RATE_LIMIT", "API_RATE_LIMIT_SERVICE"):
    if not re.fullmatch(r"[1-9]\d*/(?:[1-9]\d*)?[smhd]", globals()[_name]):
        raise environ.ImproperlyConfigured(f"{_name} must read like 600/m (a count per s, m, h or d)")
if API_TOKEN_MAX_DAYS < 1:
    raise environ.ImproperlyConfigured("API_TOKEN_MAX_DAYS must be 1 or more")

# --- Directory sign-in and imports (issue 15, helpdesk.accounts) ----------------
# Customers' KakaoTalk notices (알림톡) go through the SOLAPI account of the
# SMS above (SOLAPI_API_KEY/SECRET, SMS_SENDER). Empty: no KakaoTalk, text
# messages as before. With it set, a customer notice whose kind (or template)
# has an active AlimTalk template in the admin goes by KakaoTalk instead of a
# text message, and as a text message when KakaoTalk refuses it (README
# "KakaoTalk notices"). A template may name a channel of its own.
SOLAPI_KAKAO_PF_ID = env.str("SOLAPI_KAKAO_PF_ID", default="")
# Staff who chose the daily digest get their e-mails of the day in one, at
# this local time on working days (Monday to Friday, or the business calendar
# when the standards register it: helpdesk.notifications.policy). Beat checks
# every five minutes, so a beat that was down sends it when it is back.
NOTIFY_DIGEST_AT = env.str("NOTIFY_DIGEST_AT", default="08:00")
if not re.fullmatch(r"(?:[01]\d|2[0-3]):[0-5]\d", NOTIFY_DIGEST_AT):
    # A typo would otherwise mean no digest, silently.
    raise environ.ImproperlyConfigured("NOTIFY_DIGEST_AT must read like 08:00 (HH:MM, 24-hour)")
CELERY_BEAT_SCHEDULE["notice-digest"] = {"task": "helpdesk.notifications.tasks.notice_digest", "schedule": 300.0}
# Sign-in with company accounts (README "Directory sign-in"): LDAP_SERVER_URI
# empty keeps local passwords only. With it set, the directory backend sits
# after django-axes (the throttle still counts every attempt) and before
# ModelBackend, so local accounts — the administrators, the quick start's demo
# people — still sign in with their local password, the directory down or not.
# helpdesk.accounts.ldap_settings reads every LDAP_* variable and refuses a misspelt one.
from helpdesk.accounts.ldap_settings import BACKEND as _DIRECTORY_BACKEND  # noqa: E402
from helpdesk.accounts.ldap_settings import directory_settings as _directory_settings  # noqa: E402

_directory = _directory_settings(environ.Env.ENVIRON)
globals().update(_directory)
if _directory["DIRECTORY_SIGN_IN"]:
    AUTHENTICATION_BACKENDS.insert(1, _DIRECTORY_BACKEND)

# Imports of people, departments, positions and assets (django-import-export;
# the admin's Import buttons and `manage.py import_directory`).
INSTALLED_APPS.insert(INSTALLED_APPS.index("helpdesk.accounts"), "import_export")
# Largest file and most rows one import reads: every row is checked and written
# in one transaction, and the admin's preview runs inside one request.
DIRECTORY_IMPORT_MAX_BYTES = env.int("DIRECTORY_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
DIRECTORY_IMPORT_MAX_ROWS = env.int("DIRECTORY_IMPORT_MAX_ROWS", default=20000)
