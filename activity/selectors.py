"""The timelines of the secretariat: a cluster's, an interview's and a label's actions, newest first.

Each timeline is one indexed query (ActionLog's indexes), plus the page's count; entries are
made readable here (the action's name, who, the old and new values in words) without asking
the database again, so a page costs the same for ten entries or ten thousand.
"""

import datetime
import re
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from activity.actions import DATA_LABELS, HIDDEN_DATA, NOUN_ONLY, OBJECT_NOUNS, action_label
from activity.models import ActionLog

PER_PAGE = 20
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# Data keys whose values are those of a field of another name (the board's decision is a status).
VALUE_FIELDS = {"decision": "status"}


def cluster_timeline(cluster) -> QuerySet[ActionLog]:
    """Every action that concerns the cluster: its own, and its interviews', labels', audits' ..."""
    return ActionLog.objects.filter(cluster_id=cluster.pk)


def object_timeline(obj) -> QuerySet[ActionLog]:
    return ActionLog.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)


def interview_timeline(interview) -> QuerySet[ActionLog]:
    """The interview's actions with those of its recommendations to the board and its reports."""
    from benchmarking.models import LabelRecommendation, Report

    def of(model, ids) -> Q:
        return Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids)

    return ActionLog.objects.filter(
        Q(content_type=ContentType.objects.get_for_model(interview), object_id=interview.pk)
        | of(LabelRecommendation, LabelRecommendation.objects.filter(interview=interview).values("pk"))
        | of(Report, Report.objects.filter(interview=interview).values("pk"))
    )


# --- Reading an entry --------------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    name: str
    old: str
    new: str


@dataclass(frozen=True)
class Entry:
    """One action as the timeline shows it, in the reader's language."""

    log: ActionLog
    label: str
    who: str
    changes: list[Change]
    facts: list[tuple[str, str]]

    @property
    def what(self) -> str:
        """The kind and name of the object acted on ("Label Bronze DEU001202401B")."""
        model = ContentType.objects.get_for_id(self.log.content_type_id).model
        noun = str(OBJECT_NOUNS.get(model, model))
        return noun if model in NOUN_ONLY else f"{noun} {self.log.object_repr}"


def _field(model, name: str):
    """The model's own column of that name (not a relation from another model), or None."""
    try:
        field = model._meta.get_field(VALUE_FIELDS.get(name, name)) if model else None
    except FieldDoesNotExist:
        return None
    return field if getattr(field, "concrete", False) else None


def _name(model, key: str) -> str:
    if key in DATA_LABELS:
        return str(DATA_LABELS[key])
    field = _field(model, key)
    if field is not None and hasattr(field, "verbose_name"):
        return str(field.verbose_name).capitalize()
    return key.replace("_", " ").capitalize()


def _words(model, key: str, value) -> str:
    """A logged value in words: a choice's label, a date in the reader's format, yes or no."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        return ", ".join(_words(model, key, item) for item in value) or "—"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_words(model, k, v)}" for k, v in value.items())
    field = _field(model, key)
    if field is not None and field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and ISO_DATE.match(value):
        return date_format(datetime.date.fromisoformat(value))
    return str(value)


def _who(user) -> str:
    if user is None:
        return _("the system")
    return user.get_full_name() or user.get_username()


def entry_of(log: ActionLog) -> Entry:
    model = ContentType.objects.get_for_id(log.content_type_id).model_class()
    data = log.data if isinstance(log.data, dict) else {}
    changes = [
        Change(_name(model, key), _words(model, key, values.get("old")), _words(model, key, values.get("new")))
        for key, values in (data.get("changes") or {}).items()
        if isinstance(values, dict)
    ]
    facts = [
        (_name(model, key), _words(model, key, value))
        for key, value in data.items()
        if key != "changes" and key not in HIDDEN_DATA
    ]
    return Entry(log, action_label(log.action), _who(log.user), changes, facts)


def timeline_page(queryset: QuerySet[ActionLog], *, action: str = "", number=1) -> tuple[Page, list[Entry]]:
    """One page of a timeline, newest first, of one action or all; its entries ready to show."""
    if action:
        queryset = queryset.filter(action=action)
    page = Paginator(queryset.select_related("user").order_by("-created_at", "-pk"), PER_PAGE).get_page(number)
    return page, [entry_of(log) for log in page]
