"""/favicon.ico: browsers ask for it whatever the page links (base.html links the same icon)."""

from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.views.decorators.http import require_safe


@require_safe
def favicon(request):
    return HttpResponsePermanentRedirect(static("favicon.ico"))
