"""Log filters: logs never carry personal data.

Exception messages can hold anything (a value that failed validation, a name in a query), so they
are dropped from every log record; the exception type and the traceback (code locations) stay,
which is what an engineer needs. Request paths carry only UUIDs and record codes.
"""

import logging


class _Redacted(Exception):  # stands in for the original exception in logs
    pass


class RedactExceptionMessages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[0] is not None:
            etype, _value, tb = record.exc_info
            record.exc_info = (
                _Redacted,
                _Redacted(f"{etype.__module__}.{etype.__qualname__} (message withheld)"),
                tb,
            )
            record.exc_text = None
        return True
