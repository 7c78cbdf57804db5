"""Settings from the environment (SPEC §10), with the legal numbers of SPEC §3 beside their sources."""
import os
from datetime import date
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
DEV_SECRET_KEY = "dev-only-change-me"


def _bool(value: str | None, default: bool) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "on", "true", "yes"}


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'supervision.db'}")
    # hide_parameters: database errors would otherwise quote names and phone numbers in logs (SPEC §9).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True, "hide_parameters": True}
    UPLOAD_DIR = os.environ.get("UPLOAD_DIR", str(INSTANCE_DIR / "uploads"))
    UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
    MAX_CONTENT_LENGTH = UPLOAD_MAX_BYTES * 4
    SUPERVISION_TZ = os.environ.get("SUPERVISION_TZ", "Asia/Shanghai")
    SUPERVISION_SCHEDULER = _bool(os.environ.get("SUPERVISION_SCHEDULER"), False)
    SWEEP_INTERVAL_MINUTES = int(os.environ.get("SWEEP_INTERVAL_MINUTES", 5))
    # A second scheduler process (PostgreSQL) asks for the scheduler lock this often while it waits.
    SCHEDULER_LOCK_RETRY_SECONDS = float(os.environ.get("SCHEDULER_LOCK_RETRY_SECONDS", 10))

    MAIL_SERVER = os.environ.get("MAIL_SERVER")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", 25))
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_USE_TLS = _bool(os.environ.get("MAIL_USE_TLS"), False)
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "noreply@supervision.example")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = _bool(os.environ.get("SESSION_COOKIE_SECURE"), True)
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    WTF_CSRF_TIME_LIMIT = None

    BABEL_DEFAULT_LOCALE = "zh_CN"
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent.parent / "translations")
    LANGUAGES = ["zh_CN", "en"]

    # Keyed hashes of access codes and API tokens (SPEC §9); derived from SECRET_KEY when unset.
    SECRET_HASH_KEY = os.environ.get("SECRET_HASH_KEY")

    # --- Rate limits (SPEC §9): they stop guessing and flooding, never a signed-in user's work ----
    # Syntax of the `limits` library ("10 per minute", "20/hour;100/day"); README lists them.
    RATELIMIT_ENABLED = _bool(os.environ.get("RATELIMIT_ENABLED"), True)
    # memory:// counts per process; with several workers or machines use a shared store
    # (redis://host:6379/0): every process then counts against the same budget.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Counter names start with this, so two installations can share one Redis.
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "supervision")
    RATELIMIT_HEADERS_ENABLED = True
    # Per client address: password guessing (web log-in and API token).
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # Per client address: complaints filed by the public (and by any token that is not an officer's).
    INTAKE_RATE_LIMIT = os.environ.get("INTAKE_RATE_LIMIT", "20 per hour")
    # Per client address: every access-code check (tracking page and API, complainant actions,
    # evidence download and upload), right or wrong.
    ACCESS_CODE_RATE_LIMIT = os.environ.get("ACCESS_CODE_RATE_LIMIT", "30 per minute")
    # Per reference: wrong access codes for one complaint, from any address (spread-out guessing).
    ACCESS_CODE_REFERENCE_RATE_LIMIT = os.environ.get("ACCESS_CODE_REFERENCE_RATE_LIMIT", "20 per hour")
    # Per signed-in user (session or token), never per address: generous, it is their work.
    USER_RATE_LIMIT = os.environ.get("USER_RATE_LIMIT", "600 per minute")
    # Reverse proxies in front of the app that set X-Forwarded-For/-Proto (0: none, direct clients).
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", 0))
    # A database still busy after its lock wait answers 503 with this Retry-After (seconds).
    DATABASE_BUSY_RETRY_AFTER = int(os.environ.get("DATABASE_BUSY_RETRY_AFTER", 2))
    # A database that cannot be reached answers 503 with this Retry-After (seconds).
    DATABASE_DOWN_RETRY_AFTER = int(os.environ.get("DATABASE_DOWN_RETRY_AFTER", 30))
    # How long the access code stays on the confirmation page after filing (a reload or a
    # language switch shows it again), how long a checked tracking result can be reloaded,
    # and how long a resubmitted complaint form is recognised as the same one [default].
    ACCESS_CODE_DISPLAY_MINUTES = 30
    TRACKING_PASS_MINUTES = 30
    RECEIPT_KEEP_HOURS = 24

    API_TITLE = "Telecom service-quality supervision API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    OPENAPI_SWAGGER_UI_URL = None  # no CDN: the docs page is served by blueprints/web (ReDoc-free HTML)

    API_TOKEN_DAYS = int(os.environ.get("API_TOKEN_DAYS", 30))
    # Argon2id parameters (argon2-cffi defaults: RFC 9106 low-memory profile).
    ARGON2_TIME_COST = 3
    ARGON2_MEMORY_COST = 65536

    # --- Complaint intake limits (SPEC §3) -------------------------------------------------
    # [C 10] the operator had this many calendar days to answer before the regulator accepts.
    OPERATOR_ANSWER_DAYS = 15
    # [C 11] a billing dispute is not accepted more than 5 months after the disputed charge,
    # any other dispute more than 2 years after the event.
    BILLING_DISPUTE_LIMIT_MONTHS = 5
    OTHER_DISPUTE_LIMIT_YEARS = 2
    # A clock is due_soon with this many working days (or fewer) left [default].
    DUE_SOON_WORKING_DAYS = 1
    # [M 17] raw billing data must be kept 5 months.
    BILLING_RETENTION_MONTHS = 5
    # [default] An attestation older than this many days no longer speaks for today's data.
    RETENTION_ATTESTATION_MAX_AGE_DAYS = 31
    # [default] SPEC §5: H1 report due 15 July, H2 report due 15 January of the next year
    # (after 电信服务质量报告制度): (month, day) of the due date for each half.
    SELF_INSPECTION_DUE = {"H1": (7, 15), "H2": (1, 15)}
    # [default] A declared figure further than this from what the system counted is flagged
    # for the reviewing officer (a share of the counted number, or share points).
    SELF_INSPECTION_TOLERANCE = 0.05
    # [M 14–18] The checklist items of a new report (catalogue: supervision/obligations/checklist.py).
    SELF_INSPECTION_CHECKLIST = ("hotline_published", "answers_in_time", "format_clauses_filed",
                                 "billing_records_kept", "charges_queryable")
    # SPEC §5: the billing error rate standard (计费差错率 ≤ 1e-4).
    BILLING_ERROR_RATE_STANDARD = 1e-4

    # Dates from outside must lie in [EARLIEST_DATE, today + DATE_YEARS_AHEAD years] [default]
    # (supervision/date_ranges.py). Nothing this system records happened before 2000 (the
    # complaint measures date from 2001; [C 11] refuses disputes older than 2 years anyway);
    # 20 years ahead covers the longest licence term (basic telecom: 10 years) twice over.
    EARLIEST_DATE = date(2000, 1, 1)
    DATE_YEARS_AHEAD = 20

    # --- Published statistics (SPEC §8) ---------------------------------------------------
    # Operators answering fewer complaints in time than this share are named [default 95%,
    # as the ministry's quarterly service-quality notices do].
    TIMELY_HANDLING_TARGET = float(os.environ.get("TIMELY_HANDLING_TARGET", 0.95))
    # The clock whose met/missed outcome is "answered in time" (a clock_policies name).
    STATISTICS_TIMELY_CLOCK = os.environ.get("STATISTICS_TIMELY_CLOCK", "answer")
    # Exact Poisson (Garwood) interval of complaint rates [default 95%].
    STATISTICS_CONFIDENCE_LEVEL = 0.95
    # Survey files can be large (1,000,000 rows ≈ 50 MB): the survey import API allows this much.
    SURVEY_UPLOAD_MAX_BYTES = int(os.environ.get("SURVEY_UPLOAD_MAX_BYTES", 200 * 1024 * 1024))

    # --- Personal information (个人信息保护法) ----------------------------------------------
    # [default] Years a complaint keeps its complainant's personal data after it ended (closed,
    # rejected or withdrawn); then a daily job erases them (complaints/erasure.py). PIPL art. 19:
    # kept no longer than the purpose needs; art. 47: deleted when the period ends. Three years
    # outlasts every follow-up the complaint measures allow (a review, a repeated complaint, an
    # administrative reconsideration or suit about the handling) with room to spare.
    PERSONAL_DATA_RETENTION_YEARS = int(os.environ.get("PERSONAL_DATA_RETENTION_YEARS", 3))
    # Complaints erased per transaction: a big first run never holds the write lock for long.
    PERSONAL_DATA_ERASURE_BATCH = 200

    # Notification outbox: retry back-off (minutes, doubled each attempt) and give-up point.
    OUTBOX_RETRY_BASE_MINUTES = 2
    OUTBOX_MAX_ATTEMPTS = 8

    # --- Publications (SPEC §8, §10) ---------------------------------------------------------
    # Open-data licence stated in every data package and on /open-data/ [default].
    PUBLICATION_LICENCE = os.environ.get("PUBLICATION_LICENCE", "CC-BY-4.0")
    PUBLICATION_LICENCE_TITLE = os.environ.get("PUBLICATION_LICENCE_TITLE", "Creative Commons Attribution 4.0")
    PUBLICATION_LICENCE_URL = os.environ.get("PUBLICATION_LICENCE_URL",
                                             "https://creativecommons.org/licenses/by/4.0/")
    # Atom entry ids are tag URIs (RFC 4151) under this name and date; never change them once
    # published, or every reader sees every entry again.
    PUBLICATION_TAG_AUTHORITY = os.environ.get("PUBLICATION_TAG_AUTHORITY", "supervision.example,2026")
    # The public address of the site, for links inside files (data package homepage, feed).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000")


class TestConfig(Config):
    TESTING = True
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    RATELIMIT_ENABLED = False
    WTF_CSRF_ENABLED = False
    # Cheap hashing in tests only: the production cost is the argon2-cffi default.
    ARGON2_TIME_COST = 1
    ARGON2_MEMORY_COST = 1024
