"""Log filters the settings' LOGGING uses."""

import logging


class NoTracebackBelow500(logging.Filter):
    """Drop the traceback from the log line of a refused request.

    Django logs a PermissionDenied (403) or a SuspiciousOperation (400) with the exception attached, so
    every refused click printed twenty lines of stack, all of it our own code working as meant. The
    message ("Forbidden (Permission denied): /to-chuc/sap-xep/") says what happened; a 500 keeps its
    traceback, which is what one needs to fix it.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
