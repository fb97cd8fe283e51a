"""Every action the product logs, by its code: the one list of them (as pretix names its log entries).

A service logs its action with `activity.services.log_action(action=actions.LABEL_SUSPENDED, ...)`;
`log_action` refuses a code that is not here, and activity/tests/test_actions.py checks that no
module names a code outside this one. Each code has a label in the reader's language, shown on
the timelines and in the admin. A code, once logged, is never renamed: old entries keep it.
"""

from django.utils.translation import gettext_lazy as _

# --- Labels (services/labels.py) --------------------------------------------------------------
LABEL_AWARDED = "label.awarded"
LABEL_SUSPENDED = "label.suspended"
LABEL_REINSTATED = "label.reinstated"
LABEL_WITHDRAWN = "label.withdrawn"
LABEL_REMINDER_SENT = "label.reminder_sent"
LABEL_IMPORTED = "label.imported"
LABEL_REBASED = "label.rebased"  # an earlier benchmarking awarded later moved its dates

# --- Interviews: the expert (services/interviews.py) and the secretariat (services/review.py) ---
INTERVIEW_STARTED = "interview.started"
INTERVIEW_DATE_CHANGED = "interview.date_changed"
INTERVIEW_ANSWERS_SAVED = "interview.answers_saved"
INTERVIEW_SUBMITTED = "interview.submitted"
INTERVIEW_RETURNED = "interview.returned"
INTERVIEW_REJECTED = "interview.rejected"
INTERVIEW_APPROVED = "interview.approved"
INTERVIEW_REOPENED = "interview.reopened"

# --- Reports (services/reports.py) ------------------------------------------------------------
REPORT_ISSUED = "report.issued"
REPORT_RECOMMENDATIONS_SAVED = "report.recommendations_saved"

# --- The EUCLES board (services/board.py) -----------------------------------------------------
BOARD_RECOMMENDED = "board.recommended"
BOARD_RECOMMENDATION_WITHDRAWN = "board.recommendation_withdrawn"
BOARD_DECIDED = "board.decided"  # data["decision"]: "approved" or "declined"
BOARD_DECISION_UNDONE = "board.decision_undone"

# --- Clusters: the admin (directory/admin.py), eligibility (benchmarking/services/eligibility.py), imports ---
CLUSTER_CREATED = "cluster.created"
CLUSTER_UPDATED = "cluster.updated"
ELIGIBILITY_RECORDED = "eligibility.recorded"
IMPORT_APPLIED = "import.applied"

# --- Silver and Gold (services/silver_gold.py) ------------------------------------------------
SILVER_AUDIT_RECORDED = "silver.audit_recorded"
GOLD_ASSESSMENT_RECORDED = "gold.assessment_recorded"

# --- The questionnaire in advance (services/questionnaire.py) ---------------------------------
MANAGER_INVITED = "manager.invited"
MANAGER_INVITATION_RESENT = "manager.invitation_resent"
MANAGER_INVITATION_REVOKED = "manager.invitation_revoked"
MANAGER_REMINDED = "manager.reminded"
MANAGER_JOINED = "manager.joined"
MANAGER_PROPOSALS_SAVED = "manager.proposals_saved"
MANAGER_QUESTIONNAIRE_READY = "manager.questionnaire_ready"

# --- Comparisons a cluster's managers choose (comparisons/services.py) ---------------------------
COMPARISON_MADE = "comparison.made"  # data: filters, outcome, group size, channel
COMPARISON_SAVED = "comparison.saved"
COMPARISON_DELETED = "comparison.deleted"

LABELS = {
    LABEL_AWARDED: _("Label awarded"),
    LABEL_SUSPENDED: _("Label suspended"),
    LABEL_REINSTATED: _("Label reinstated"),
    LABEL_WITHDRAWN: _("Label withdrawn"),
    LABEL_REMINDER_SENT: _("Renewal reminder sent"),
    LABEL_IMPORTED: _("Label imported"),
    LABEL_REBASED: _("Label dates re-based on an earlier benchmarking"),
    INTERVIEW_STARTED: _("Interview started"),
    INTERVIEW_DATE_CHANGED: _("Interview date changed"),
    INTERVIEW_ANSWERS_SAVED: _("Answers saved"),
    INTERVIEW_SUBMITTED: _("Interview submitted"),
    INTERVIEW_RETURNED: _("Interview returned to the expert"),
    INTERVIEW_REJECTED: _("Interview rejected"),
    INTERVIEW_APPROVED: _("Interview approved"),
    INTERVIEW_REOPENED: _("Interview reopened"),
    REPORT_ISSUED: _("Report issued"),
    REPORT_RECOMMENDATIONS_SAVED: _("Expert's recommendations saved"),
    BOARD_RECOMMENDED: _("Recommended to the board"),
    BOARD_RECOMMENDATION_WITHDRAWN: _("Recommendation withdrawn"),
    BOARD_DECIDED: _("Decided by the board"),
    BOARD_DECISION_UNDONE: _("Board decision undone"),
    CLUSTER_CREATED: _("Cluster created"),
    CLUSTER_UPDATED: _("Cluster updated"),
    ELIGIBILITY_RECORDED: _("Eligibility facts recorded"),
    IMPORT_APPLIED: _("Import applied"),
    SILVER_AUDIT_RECORDED: _("Silver audit recorded"),
    GOLD_ASSESSMENT_RECORDED: _("Gold assessment recorded"),
    MANAGER_INVITED: _("Manager invited"),
    MANAGER_INVITATION_RESENT: _("Invitation sent again"),
    MANAGER_INVITATION_REVOKED: _("Invitation revoked"),
    MANAGER_REMINDED: _("Manager reminded"),
    MANAGER_JOINED: _("Manager joined"),
    MANAGER_PROPOSALS_SAVED: _("Manager's proposals saved"),
    MANAGER_QUESTIONNAIRE_READY: _("Questionnaire ready"),
    COMPARISON_MADE: _("Comparison made"),
    COMPARISON_SAVED: _("Comparison saved"),
    COMPARISON_DELETED: _("Saved comparison deleted"),
}

CODES = frozenset(LABELS)


def action_label(code: str) -> str:
    """The action's name in the reader's language; a code no longer listed reads as itself."""
    return str(LABELS.get(code, code))


def action_choices() -> list[tuple[str, str]]:
    """(code, label) of every action, by label in the reader's language: the timeline's filter."""
    return sorted(((code, str(label)) for code, label in LABELS.items()), key=lambda choice: choice[1].casefold())


# The words for the keys of an entry's data, shown beside their values on the timelines.
DATA_LABELS = {
    "changes": _("Changes"),
    "decision": _("Decision"),
    "meeting": _("Meeting"),
    "decided_on": _("Decision date"),
    "label": _("Label"),
    "level": _("Level"),
    "code": _("Code"),
    "report": _("Report"),
    "valid_from": _("Valid from"),
    "valid_until": _("Valid until"),
    "benchmarked_on": _("Benchmarking date"),
    "recommendation": _("Recommendation"),
    "indicators": _("Indicators"),
    "comments": _("Comments on indicators"),
    "email": _("E-mail"),
    "passed": _("Passed"),
    "no_label": _("Why no label"),
    "overall_score": _("Overall score"),
    "date": _("Date"),
    "auditor": _("Auditor"),
    "assessors": _("Assessors"),
    "categories": _("Categories"),
    "kind": _("Kind"),
    "recipients": _("Recipients"),
    "account_created": _("Account created"),
    "version": _("Version"),
    "status": _("Status"),
    "source": _("Source"),
    "renews": _("Renews"),
    "language": _("Language"),
    "filters": _("Filters"),
    "outcome": _("Outcome"),
    "group_size": _("Group size"),
    "channel": _("Channel"),
    "name": _("Name"),
    "expires_at": _("Expires at"),
    # The eligibility facts, with the words of the secretariat's form.
    "eccp_profile_url": _("ECCP profile URL"),
    "eccp_validated_on": _("ECCP validation date"),
    "eligibility_waiver": _("Eligibility waiver"),
    "eligibility_waiver_note": _("Waiver details"),
    "english_website_checked_on": _("English website showing activity, checked on"),
    "public_collaboration": _("Visible collaboration with public bodies"),
}

# What each kind of object acted on is called on the timelines (by its model's name).
OBJECT_NOUNS = {
    "cluster": _("Cluster"),
    "interview": _("Interview"),
    "label": _("Label"),
    "labelrecommendation": _("Recommendation to the board"),
    "report": _("Report"),
    "silveraudit": _("Silver audit"),
    "goldassessment": _("Gold assessment"),
    "comparison": _("Comparison"),
    "savedcomparison": _("Saved comparison"),
}
# Objects whose name is written in the data already or says nothing more (a recommendation's
# name repeats its cluster and level, and its status as it was): the noun alone is shown.
NOUN_ONLY = {"labelrecommendation"}
# Keys kept in the data (the admin's export shows them) but not on the timelines.
HIDDEN_DATA = {"recommendation", "version"}
