"""Who may call what: the API asks the same questions as the pages, in the same places."""

from rest_framework.permissions import BasePermission

from benchmarking.permissions import is_secretariat


class IsSecretariat(BasePermission):
    message = "Only the ECEI secretariat may read this."

    def has_permission(self, request, view):
        return is_secretariat(request.user)
