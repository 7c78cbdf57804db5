"""Keep personal data and secrets out of logs (SPEC §9).

Access logs print request lines; a complainant's access code may travel in a query string,
and so may a search term (an officer searches by a complainant's name or phone: `q`), so both
are redacted before any handler sees the record.
"""
import logging
import re

_SECRET_PARAMS = re.compile(r"(access_code|password|token|\bq)=[^&\s\"']+", re.IGNORECASE)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(a) for a in record.args)
        elif isinstance(record.args, dict):
            # gunicorn's access log passes its atoms as one mapping ("%(r)s" is the request line);
            # redact in place to keep its dict subclass, which answers "-" for unknown atoms.
            for key, value in record.args.items():
                record.args[key] = _redact(value)
        record.msg = _redact(record.msg)
        return True


def _redact(value):
    return _SECRET_PARAMS.sub(r"\1=[redacted]", value) if isinstance(value, str) else value


def install_redaction() -> None:
    for name in ("werkzeug", "gunicorn.access", "gunicorn.error"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactSecrets) for f in logger.filters):
            logger.addFilter(RedactSecrets())
