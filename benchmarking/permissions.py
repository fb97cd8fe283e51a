"""Who belongs to the secretariat, and who to the EUCLES board: the one place that answers it."""

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


# --- The EUCLES board -------------------------------------------------------------------------

# The board members are the users with this permission, given through the group of that name
# (created by migration 0011; the admin adds people to it). A board member need not be staff.
BOARD_PERMISSION = "benchmarking.decide_label"
BOARD_GROUP = "EUCLES board"


def board_group():
    """The board members' group with its permission, made again where it is missing (a
    transactional test's flush, or an admin who deleted it, removes it; migration 0011 made it)."""
    from django.contrib.auth.models import Group, Permission

    app_label, codename = BOARD_PERMISSION.split(".")
    group, _ = Group.objects.get_or_create(name=BOARD_GROUP)
    group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return group


def is_board_member(user) -> bool:
    """Whether `user` decides, with the EUCLES board, on the labels the secretariat recommends.

    Django caches the user's permissions on the user object: asking twice costs one query.
    """
    return bool(user.is_authenticated and user.is_active and user.has_perm(BOARD_PERMISSION))


def board_members():
    """The same people as `is_board_member`, as a query (superusers hold every permission)."""
    from django.contrib.auth import get_user_model
    from django.db.models import Q

    app_label, codename = BOARD_PERMISSION.split(".")
    holds = Q(groups__permissions__codename=codename, groups__permissions__content_type__app_label=app_label) | Q(
        user_permissions__codename=codename, user_permissions__content_type__app_label=app_label
    )
    return get_user_model().objects.filter(Q(is_active=True) & (holds | Q(is_superuser=True))).distinct()


def board_required(view):
    """Anonymous visitors are sent to log in; anybody else outside the board gets 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_board_member(request.user):
            raise PermissionDenied("Only members of the EUCLES board may open this page.")
        return view(request, *args, **kwargs)

    return wrapper
