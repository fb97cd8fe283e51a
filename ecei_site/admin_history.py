"""The admin's view of django-simple-history: history to read, never to revert."""

from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin


class HistoryAdmin(SimpleHistoryAdmin):
    """django-simple-history's revert form saves the historical row as it was, status and
    dates included, whatever the admin's read-only fields: a door around the services. The
    history pages stay readable; a POST to them is refused (SIMPLE_HISTORY_REVERT_DISABLED
    hides the button)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied("Reverting is not possible: changes go through the product's screens.")
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdmin:
    """A record the services write (an interview, a label, an audit): shown, never edited here.

    Adding, changing and deleting would go around the rules (four eyes, eligibility,
    validity periods, versions); the secretariat uses the product's screens or the actions.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
