"""Logging filters, and the LOGGING setting that uses them.

Django logs a refused request (PermissionDenied, 403) with the exception's traceback at
WARNING. A refusal is the site working as designed, so a 403 or 404 is one line naming the
status and the path; real errors (5xx) keep their traceback.
"""

import logging

ONE_LINE_STATUSES = {403, 404}


class RefusalsOnOneLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in ONE_LINE_STATUSES:
            record.exc_info = None
            record.exc_text = None
        return True


def logging_config(level: str) -> dict:
    """LOGGING: everything to the console from `level` (LOG_LEVEL) up, refusals on one line."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"refusals_one_line": {"()": "ecei_site.log_filters.RefusalsOnOneLine"}},
        "loggers": {"django.request": {"filters": ["refusals_one_line"]}},
        "handlers": {"console": {"class": "logging.StreamHandler"}},
        "root": {"handlers": ["console"], "level": level},
    }
