"""Who belongs to the secretariat: the one place that answers it."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def is_secretariat(user) -> bool:
    """The secretariat, who review interviews and manage labels, are the active staff users.

    Staff status is on the user row already loaded for the request, so asking costs no query
    on any page; what a staff user may do in the admin is still set by their permissions.
    """
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def secretariat_members():
    """The same people as `is_secretariat`, as a query: active staff users."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(is_active=True, is_staff=True)


def secretariat_required(view):
    """Anonymous visitors are sent to log in; anybody else outside the secretariat gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_secretariat(request.user):
            raise PermissionDenied("Only the ECEI secretariat may open this page.")
        return view(request, *args, **kwargs)

    return wrapper


def is_own_interview(user, interview) -> bool:
    """Four eyes: nobody decides on an interview they conducted, whatever their other roles."""
    return interview.expert.user_id == user.pk
