"""Web addresses: http and https only, everywhere (models, imports, templates).

A `javascript:` or `data:` address rendered as a link runs in the visitor's browser; ftp and
the rest are no web pages. The model field validates, and templates render a stored address
as a link only through the `http_url` filter, so a row that predates the rule is shown as
plain text, never as a link.
"""

from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

HTTP_SCHEMES = ["http", "https"]

validate_http_url = URLValidator(
    schemes=HTTP_SCHEMES, message=_("Enter a web address that starts with http:// or https://.")
)


def is_http_url(value: str) -> bool:
    return isinstance(value, str) and value.lower().startswith(("http://", "https://"))
