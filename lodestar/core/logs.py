"""Log lines without the secrets some URLs carry.

Invitation links, the first-run setup link, password-reset and e-mail confirmation keys, the
unsubscribe link and an automatic feed's secret URL are authority in themselves: whoever reads
one in a log (runserver's request lines, Django's "Not Found: /…" warnings, a log collector) could
use it. ``RedactSecrets`` (settings.LOGGING, on every handler) replaces them with ``[secret]``.
"""

import logging
import re

REDACTED = "[secret]"
# A secret path segment after one of these (ids of pages, all digits, stay), or a token= value.
_SECRET = re.compile(
    r"(?P<path>/(?:feeds|invitations|unsubscribe|password/reset/key|confirm-email)/)(?!\d+(?:/|$|\s|\?))[^/?#\s\"']+"
    r"|(?P<query>[?&]token=)[^&#\s\"']+"
)


def redact(text: str) -> str:
    return _SECRET.sub(lambda match: (match["path"] or match["query"]) + REDACTED, text)


class RedactSecrets(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except (TypeError, ValueError):  # a malformed record is logged as it is
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True
