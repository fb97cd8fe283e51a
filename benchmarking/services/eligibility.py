"""The secretariat records a cluster's eligibility facts (rules/eligibility.py judges them).

The ECCP profile URL (http or https) and its validation date, or a waiver with its reason;
and the facts no indicator answers: the English website showing activity, a visible
collaboration with public bodies. Recorded on the cluster, so its history keeps who changed
what and when; a form opened before someone else's change is refused, not overwritten.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from activity import actions
from activity.services import changes, log_action
from benchmarking.limits import REASON_MAX_LENGTH, too_long
from clusters.models import Cluster, EligibilityWaiver

FACT_FIELDS = (
    "eccp_profile_url",
    "eccp_validated_on",
    "eligibility_waiver",
    "eligibility_waiver_note",
    "english_website_checked_on",
    "public_collaboration",
)


class EligibilityError(Exception):
    """Facts that cannot be recorded; `refusals` maps a field to why (None: the whole form)."""

    def __init__(self, refusals: dict[str | None, str]):
        self.refusals = refusals
        super().__init__(" ".join(refusals.values()))


def _refusals(facts: dict) -> dict[str | None, str]:
    today = timezone.localdate()
    refusals = {}
    for field in ("eccp_validated_on", "english_website_checked_on"):
        if facts[field] and facts[field] > today:
            refusals[field] = _("The date cannot be in the future.")
    if facts["eccp_validated_on"] and not facts["eccp_profile_url"]:
        refusals["eccp_profile_url"] = _("Give the ECCP profile that was validated.")
    if facts["eligibility_waiver"] not in EligibilityWaiver.values:
        refusals["eligibility_waiver"] = _("Choose one of the reasons for a waiver.")
    if facts["eligibility_waiver_note"] and not facts["eligibility_waiver"]:
        refusals["eligibility_waiver"] = _("Choose the reason for the waiver, or leave its details empty.")
    for field in ("eligibility_waiver_note", "public_collaboration"):
        refusal = too_long(facts[field], REASON_MAX_LENGTH, _("the text"))
        if refusal:
            refusals[field] = refusal
    return refusals


@transaction.atomic
def eligibility_facts_record(
    *,
    cluster: Cluster,
    user,
    expected_updated_at: datetime.datetime | None,
    eccp_profile_url: str = "",
    eccp_validated_on: datetime.date | None = None,
    eligibility_waiver: str = "",
    eligibility_waiver_note: str = "",
    english_website_checked_on: datetime.date | None = None,
    public_collaboration: str = "",
) -> Cluster:
    """Record the cluster's eligibility facts, as a change of the cluster (with its history)."""
    facts = {
        "eccp_profile_url": (eccp_profile_url or "").strip(),
        "eccp_validated_on": eccp_validated_on,
        "eligibility_waiver": eligibility_waiver or "",
        "eligibility_waiver_note": (eligibility_waiver_note or "").strip(),
        "english_website_checked_on": english_website_checked_on,
        "public_collaboration": (public_collaboration or "").strip(),
    }
    refusals = _refusals(facts)
    if refusals:
        raise EligibilityError(refusals)
    locked = Cluster.objects.select_for_update().get(pk=cluster.pk)
    if expected_updated_at is not None and locked.updated_at != expected_updated_at:
        raise EligibilityError(
            {
                None: _(
                    "The cluster changed since you opened the page (someone may have recorded facts). Reload it."
                )
            }
        )
    before = {field: getattr(locked, field) for field in FACT_FIELDS}
    for field, value in facts.items():
        setattr(locked, field, value)
    try:
        others = [f.name for f in Cluster._meta.fields if f.name not in FACT_FIELDS]
        locked.full_clean(exclude=others, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:  # the URL validator: http(s) links only
        raise EligibilityError({field: " ".join(messages) for field, messages in exc.message_dict.items()}) from exc
    locked._history_user = user
    locked._change_reason = "Eligibility facts recorded"
    locked.save()
    log_action(action=actions.ELIGIBILITY_RECORDED, obj=locked, user=user, data={"changes": changes(before, facts)})
    return locked
