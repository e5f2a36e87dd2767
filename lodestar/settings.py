"""Lodestar's one settings module, driven by the environment.

Development defaults are safe to run on a laptop; production sets
``DJANGO_ENV=production`` and must then provide a secret key and hosts, or the
process refuses to start.
"""

from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from lodestar.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

PRODUCTION = env_str("DJANGO_ENV", "development") == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)

SECRET_KEY = env_str("SECRET_KEY", None if PRODUCTION else "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "lodestar.core",
    "lodestar.worker",
    "lodestar.accounts",
    "lodestar.orgs",
    "lodestar.onboarding",
    "lodestar.audit",
    "lodestar.scim",
    "lodestar.sso",
    "lodestar.strategy",
    "lodestar.okrs",
    "lodestar.kpis",
    "lodestar.demo",
    "lodestar.search",
    "lodestar.conversations",
    "lodestar.activity",
    "lodestar.notifications",
    "lodestar.api",
    "lodestar.webhooks",
    "lodestar.feeds",
    "lodestar.rollout",
    "lodestar.pages",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
    "allauth.mfa",
    "django_htmx",
    "simple_history",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "lodestar.audit.middleware.AuditRequestMiddleware",  # the client address of audit rows (audit/middleware.py)
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "lodestar.sso.middleware.host_header",  # requests without a Host header, for SAML (sso/middleware.py)
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "lodestar.orgs.middleware.OrganizationMiddleware",
    "lodestar.orgs.second_factor.SecondFactorMiddleware",
    "lodestar.core.middleware.NotAllowedMiddleware",
    "lodestar.okrs.page_timeframe.ChosenTimeframeMiddleware",
]

ROOT_URLCONF = "lodestar.urls"
FORM_RENDERER = "lodestar.core.forms.LodestarFormRenderer"
WSGI_APPLICATION = "lodestar.wsgi.application"
ASGI_APPLICATION = "lodestar.asgi.application"

_CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.template.context_processors.i18n",
    "django.template.context_processors.csp",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "lodestar.orgs.context_processors.organization",
    "lodestar.okrs.context_processors.timeframes",
    "lodestar.notifications.context_processors.unread_notifications",
]
# Jinja2 first: Lodestar's pages and components (each app's jinja2/ folder and lodestar/jinja2/);
# Django's engine after it for allauth's templates, form widgets, e-mails and the admin, and for
# the pages not ported yet (docs/architecture.md, "Rendering").
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "lodestar" / "jinja2"],
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "lodestar.core.jinja2.environment",
            "loud_undefined": DEBUG,  # tests too: DEBUG is on when settings load
            "context_processors": [*_CONTEXT_PROCESSORS, "lodestar.core.jinja2.csrf"],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lodestar" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": _CONTEXT_PROCESSORS,
        },
    },
]

# Database: SQLite file by default, anything dj-database-url understands through DATABASE_URL.
(BASE_DIR / "var").mkdir(exist_ok=True)  # the default SQLite file, static files and test artifacts live here
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'lodestar.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several people saving at once must queue, not fail with "database is locked":
    # write transactions start IMMEDIATE, WAL lets readers continue, writers wait up to 20 s.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    # Tests get a file beside the database, not Django's in-memory default: a live test server
    # then opens a connection per thread, as a real server does, instead of sharing one between
    # the browser's overlapping requests.
    database_file = Path(DATABASES["default"]["NAME"])
    DATABASES["default"]["TEST"] = {"NAME": str(database_file.with_name(f"{database_file.stem}-test.sqlite3"))}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", True
):
    # Prepared statements: a query a connection has run 5 times is prepared, so PostgreSQL skips
    # planning it again (planning cost more than running the home page's queries; make bench).
    # Set DATABASE_PREPARED_STATEMENTS=false behind a transaction-pooling PgBouncer.
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Rate limits (sign-in, password reset) must hold across processes: the cache lives in the database
# (its table is created by a migration); no Redis needed.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "lodestar_cache",
    }
}

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

# django-allauth: people sign in with their e-mail address; accounts come from invitations (and, where
# LODESTAR_OPEN_SIGNUP is on, from sign-up). An address counts only once its mailbox confirmed it: at
# sign-up, when an invitation is accepted, and before a changed address replaces the old one.
# lodestar.sso's subclass of lodestar.accounts.adapter.AccountAdapter: password sign-in and reset
# are off for members of organizations that require single sign-on (owners keep theirs).
ACCOUNT_ADAPTER = "lodestar.sso.adapter.AccountAdapter"
# Single sign-on per organization (lodestar.sso): OpenID Connect providers come from the
# organization's settings (secret encrypted), not from allauth's SocialApp table.
SOCIALACCOUNT_ADAPTER = "lodestar.sso.adapter.SocialAccountAdapter"
SOCIALACCOUNT_ONLY = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never link by address alone: lodestar.sso.services.admit decides
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_LOGIN_ON_GET = False
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "lodestar.accounts.signup.SignupDetails"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_MAX_EMAIL_ADDRESSES = 2
ACCOUNT_FORMS = {
    "add_email": "lodestar.accounts.email_forms.AddEmailForm",
    "login": "lodestar.sso.forms.LoginForm",  # points addresses of SSO-required domains to single sign-on
}
LODESTAR_OPEN_SIGNUP = env_bool("LODESTAR_OPEN_SIGNUP", False)
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_RATE_LIMITS = {
    "login": env_str("LOGIN_RATE_LIMIT", "30/m/ip"),
    "login_failed": "10/m/ip,5/300s/key",
    "sso_start": env_str("SSO_START_RATE_LIMIT", "30/m/ip"),  # "Sign in with single sign-on" (lodestar.sso)
}

# Two-step sign-in (allauth.mfa): an authenticator app with recovery codes, and passkeys or security
# keys (WebAuthn, which browsers offer on https and on http://localhost only). An organization may
# require it of its admins or of everyone (orgs.second_factor). Wrong codes count against the
# "login_failed" rate limit above, per person. TOTP secrets are stored encrypted with SECRET_KEY.
MFA_ADAPTER = "lodestar.accounts.second_factor.SecondFactorAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = "Lodestar"
MFA_TOTP_TOLERANCE = 1  # a code of the previous or next 30 s still counts: phones' clocks drift

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "lodestar" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# E-mail: SMTP in production (EMAIL_HOST etc.); in development written as files to var/mail/
# (one per message: reminders and digests would flood the console).
if env_str("EMAIL_HOST", "") or PRODUCTION:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env_str("EMAIL_HOST", "localhost"),
                "port": env_int("EMAIL_PORT", 25),
                "username": env_str("EMAIL_HOST_USER", ""),
                "password": env_str("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
                "timeout": env_int("EMAIL_TIMEOUT", 20),
            },
        }
    }
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": env_str("EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))},
        }
    }
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Lodestar <lodestar@localhost>")

# A strict Content Security Policy: no inline scripts or styles anywhere.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", PRODUCTION)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", PRODUCTION)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", PRODUCTION)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if PRODUCTION else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", PRODUCTION)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", PRODUCTION)
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Sign-in rate limits count per client address. Behind a reverse proxy every request comes from the
# proxy: give the number of proxies of yours that set X-Forwarded-For (1, the default behind the TLS
# proxy, for Caddy or nginx in front of `lodestar serve`), and allauth takes the address that many
# entries from its end, so what a client writes in front of it is never believed. 0 trusts none.
# The audit log's addresses come from the same rule (allauth's adapter.get_client_ip).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("ALLAUTH_TRUSTED_PROXY_COUNT", 1 if BEHIND_TLS_PROXY else 0)

SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

# Background work: Django's tasks framework on the database (`lodestar worker` runs it).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Where people reach this Lodestar: the links in e-mails and chat posts start with it.
LODESTAR_BASE_URL = env_str("LODESTAR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Outbound requests (chat webhooks) never go to loopback, private or link-local addresses unless
# the host or network is listed here (an intranet install, the tests).
LODESTAR_OUTBOUND_ALLOWED = env_list("LODESTAR_OUTBOUND_ALLOWED", [])
# A worker that has not finished a task or an e-mail within this many seconds is taken for dead:
# its task is queued again and its message claimed by the next worker.
LODESTAR_WORKER_LEASE_SECONDS = env_int("LODESTAR_WORKER_LEASE_SECONDS", 600)
# Calls per API token (or per signed-in person) and period: "600/min", "20/s", "10000/hour".
# Counted in the database, so the limit holds across processes.
LODESTAR_API_RATE = env_str("LODESTAR_API_RATE", "600/min")
# Calls per SCIM provisioning token (an identity provider syncing thousands of people bursts).
LODESTAR_SCIM_RATE = env_str("LODESTAR_SCIM_RATE", "1200/min")

# Secrets in URLs (invitation, setup, password-reset, unsubscribe and feed links) never reach a log
# line: every handler redacts them (lodestar/core/logs.py), runserver's request lines included.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_secrets": {"()": "lodestar.core.logs.RedactSecrets"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact_secrets"]},
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["redact_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}
