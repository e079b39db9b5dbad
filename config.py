"""One configuration class per environment.

Values come from the environment: ``SECRET_KEY``, ``DATABASE_URL`` and any
``ERAATI_*`` variable (``ERAATI_MAIL_SERVER=...`` sets ``MAIL_SERVER``), read by
``create_app`` through ``app.config.from_prefixed_env("ERAATI")``.
"""

from __future__ import annotations

import os
import tempfile
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"
DEV_SECRET = "dev-only-not-secret"  # noqa: S105 - refused by ProductionConfig
EXAMPLE_CONTACT_EMAIL = "eraati-palaute@example.fi"  # production sets ERAATI_CONTACT_EMAIL


class Config:
    # SECRET_KEY and DATABASE_URL are read from the environment by create_app().
    SECRET_KEY = DEV_SECRET
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'eraati.sqlite3'}"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    SQLALCHEMY_RECORD_QUERIES = False

    BABEL_DEFAULT_LOCALE = "fi"
    BABEL_DEFAULT_TIMEZONE = "Europe/Helsinki"
    LANGUAGES = ("fi", "sv", "en")

    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Remember me" keeps a person signed in for 30 days (Flask-Login's default is a year).
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12

    # Redis (the production setting): the rate limiter's storage and the export jobs' queue.
    REDIS_URL = os.environ.get("ERAATI_REDIS_URL") or None
    RATELIMIT_STORAGE_URI = os.environ.get("ERAATI_REDIS_URL", "memory://")
    RATELIMIT_HEADERS_ENABLED = True
    # Redis away: Flask-Limiter's limits count in the process's memory until it is back
    # (not a 500, not unlimited); core.ratelimits' counters do the same.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    # Log-in (eraati/accounts/throttle.py, OWASP's device cookies). Only wrong passwords and
    # refused attempts count. Each is a ladder: the fuller it gets, the longer the wait.
    # A browser that has logged in to the account before: per device.
    LOGIN_DEVICE_LIMIT = "5 per minute;10 per 15 minutes;20 per hour;50 per day"
    # Any other client: per account (it locks out only clients the account never used)...
    LOGIN_ACCOUNT_LIMIT = "5 per minute;10 per 15 minutes;20 per hour;50 per day"
    # ... and per address (a library's public address: thirty residents' typing errors fit).
    LOGIN_ADDRESS_LIMIT = "50 per 10 minutes;100 per hour;300 per day"
    # Wrong passwords typed again by a signed-in person (staff re-authentication, password
    # change, account deletion), per account.
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    # Registrations per address: a digital-help evening registers thirty in an hour.
    REGISTER_RATE_LIMIT = "40 per hour;100 per day"
    # Residents' writes, per account (eraati/consultations/views/limits.py); a refused
    # comment or report comes back with its text. Replies count as comments.
    COMMENT_RATE_LIMIT = "10 per 10 minutes;50 per day"
    VOTE_RATE_LIMIT = "120 per 10 minutes"  # agree / disagree / pass, also changes
    STANCE_RATE_LIMIT = "20 per 10 minutes"
    FLAG_RATE_LIMIT = "10 per hour;30 per day"  # reports of comments to the moderators
    FOLLOW_RATE_LIMIT = "30 per 10 minutes"  # follows and unfollows
    # Anonymous comments (topics that allow them), per browser (a code in its session)...
    ANONYMOUS_COMMENT_RATE_LIMIT = "5 per 10 minutes"
    # ... and per address, against scripts that drop their cookies: a library's public
    # address serves thirty residents' comments in an evening.
    ANONYMOUS_COMMENT_ADDRESS_LIMIT = "60 per 10 minutes"
    MAIL_RATE_LIMIT = "5 per hour"
    API_RATE_LIMIT = "120 per minute"  # the open data API, per client address

    MAIL_BACKEND = "smtp"
    MAIL_DEFAULT_SENDER = "eRaati <no-reply@eraati.invalid>"
    # Baseline routes under /_bench for the benchmark harness (never in real production).
    BENCHMARK_ROUTES = False
    # How many reverse proxies (nginx, a load balancer) stand in front of gunicorn and set
    # X-Forwarded-For and X-Forwarded-Proto. Rate limits count per client address: behind a
    # proxy without this every resident would share the proxy's one address. 0: the
    # headers are ignored (nobody can pretend to be another address).
    PROXY_HOPS = 0
    # Where residents send accessibility feedback (the accessibility statement names it).
    CONTACT_EMAIL = EXAMPLE_CONTACT_EMAIL  # `flask eraati check` warns while it is this

    VERIFY_TOKEN_MAX_AGE = 60 * 60 * 48
    RESET_TOKEN_MAX_AGE = 60 * 60 * 2
    INVITATION_MAX_AGE = 60 * 60 * 24 * 7
    COMMENT_MAX_LENGTH = 5000
    # Results broken down by group (home municipality, background questions) show no
    # group of fewer people than this (eraati/results/suppression.py);
    # ERAATI_SMALL_GROUP_MIN=10 raises it.
    SMALL_GROUP_MIN = 5
    # The largest request: a PDF attachment (TOPIC_FILE_MAX_BYTES) and its form. Larger
    # uploads get the calm 413 page before anything reads them.
    MAX_CONTENT_LENGTH = 12 * 1024 * 1024
    COMMENT_EDIT_WINDOW_MINUTES = 15
    COMMENTS_PER_PAGE = 50
    TOPICS_PER_PAGE = 20

    # Background exports (XLSX, the council report). JOBS_BACKEND: "auto" (RQ when REDIS_URL
    # is set, else a thread of the web process), "rq", "local" or "inline" (in the request).
    JOBS_BACKEND = "auto"
    JOBS_QUEUE = "eraati-exports"
    JOBS_TIMEOUT = 60 * 60  # seconds an RQ job may run
    # The site's public address, ERAATI_PUBLIC_URL=https://eraati.example.fi/ (with a path
    # if the site lives under one): every link in an e-mail is made from it, never from the
    # request's Host (eraati/core/links.py). Production requires it and answers only
    # requests for its host, and for any others listed in ERAATI_TRUSTED_HOSTS.
    PUBLIC_URL = None
    TRUSTED_HOSTS = None
    JOBS_STALE_AFTER = 60 * 60  # queued or running longer: `flask eraati tick` calls it lost
    JOBS_PROGRESS_SECONDS = 0.5  # the progress bar is written at most this often
    EXPORT_DIR = str(INSTANCE_DIR / "exports")
    EXPORT_KEEP_DAYS = 7
    # How long the operator keeps each backup (flask eraati backup): the privacy notice
    # says it. Set it to what the backups' rotation really does (docs/operating.md).
    BACKUP_KEEP_DAYS = 30
    # Suggested themes (eraati/analysis/suggestions.py): a theme is learnt from this many
    # tagged comments, and a suggestion at least this likely is shown to moderators.
    THEME_SUGGESTION_MIN_EXAMPLES = 5
    THEME_SUGGESTION_THRESHOLD = 0.5
    # Analyses (eraati/analysis/runs.py) are computed at most this often per topic and
    # kind, unless staff press "compute now"; campaign texts are groups of at least
    # CAMPAIGN_MIN_GROUP comments (eraati/analysis/campaigns.py).
    ANALYSIS_INTERVAL_SECONDS = 180
    # A worker's claim on a notification it is sending (eraati/notifications/sending.py):
    # after this long without being marked sent, the claim has run out (the worker
    # stopped) and the next run sends it.
    NOTIFY_LEASE_SECONDS = 600
    # The moderators' daily note of their queue is recorded by ``flask eraati tick`` from
    # this hour on (Helsinki time, 0-23), once a day.
    NOTIFY_QUEUE_NOTE_HOUR = 7
    CAMPAIGN_MIN_GROUP = 3

    # What the processes write to stderr (eraati/core/logs.py): "json", one object per
    # line, or "text"; LOG_REQUESTS: one line per request (route, status, duration...).
    LOG_FORMAT = "json"
    LOG_REQUESTS = True
    # Who may read /metrics (eraati/core/metrics.py): networks such as
    # "127.0.0.1/32,10.0.0.0/8", matched against the client's address (after PROXY_HOPS).
    # Empty: nobody, /metrics answers 404 to everyone.
    METRICS_ALLOWED_NETWORKS = ""

    DEBUG = False
    TESTING = False
    # The production configuration: `flask eraati seed-demo` refuses to load its accounts
    # (their password is published in the README and printed by the command).
    PRODUCTION = False


class DevelopmentConfig(Config):
    DEBUG = True
    MAIL_BACKEND = "console"  # messages are printed to the log
    PUBLIC_URL = "http://127.0.0.1:5000/"  # `make run` sets its HOST and PORT
    LOG_FORMAT = "text"
    LOG_REQUESTS = False  # the development server prints its own line per request


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("ERAATI_TEST_DATABASE_URL", "sqlite://")
    MAIL_BACKEND = "locmem"  # tests read mail.outbox
    LOG_FORMAT = "text"
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    # Tests post many comments and votes as one resident; the tests of the writing limits
    # set these with the `rate_limit` fixture. (The log-in limits are the production ones.)
    COMMENT_RATE_LIMIT = VOTE_RATE_LIMIT = STANCE_RATE_LIMIT = "10000 per minute"
    FLAG_RATE_LIMIT = FOLLOW_RATE_LIMIT = "10000 per minute"
    REDIS_URL = None  # tests of RQ set it (and JOBS_BACKEND = "rq") themselves
    JOBS_BACKEND = "inline"  # the job runs in the request that starts it
    EXPORT_DIR = os.path.join(tempfile.gettempdir(), f"eraati-test-exports-{os.getpid()}")
    WTF_CSRF_ENABLED = False  # tests that check CSRF use the `csrf_enabled` fixture
    SQLALCHEMY_RECORD_QUERIES = True
    SERVER_NAME = "localhost"
    PUBLIC_URL = "http://localhost/"
    # Cheap hashing keeps the suite fast; production uses argon2id defaults (64 MiB, t=3).
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
    ARGON2_PARALLELISM = 1


class ProductionConfig(Config):
    PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 5}

    SECRET_KEY = None
    SQLALCHEMY_DATABASE_URI = None

    @classmethod
    def check(cls, config: dict) -> None:
        """Refuse to start on a missing or default secret or database URL, without the
        public address (the links in e-mails), or in debug mode."""
        from eraati.core import links

        hint = " (for development on your own machine, set ERAATI_ENV=development)"
        if config.get("SECRET_KEY") in (None, "", DEV_SECRET) or len(config["SECRET_KEY"]) < 32:
            raise RuntimeError("ProductionConfig: set SECRET_KEY to a long random value" + hint)
        if not config.get("SQLALCHEMY_DATABASE_URI"):
            raise RuntimeError("ProductionConfig: set DATABASE_URL (postgresql://...)" + hint)
        if problem := links.problem(config.get("PUBLIC_URL")):
            raise RuntimeError(f"ProductionConfig: {problem}" + hint)
        if config.get("DEBUG"):
            raise RuntimeError("ProductionConfig: debug mode is never allowed in production.")


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
