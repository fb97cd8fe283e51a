"""The manager's invitation link and proposals, for the questionnaire's tests."""

from benchmarking.tests.interview_helpers import login, valid_step_data
from benchmarking.tests.questionnaire_helpers import invited_manager


def accept_url(token):
    return f"/questionnaire/invitation/{token}/"


def post_manager_step(client, invitation, code, data, **extra):
    invitation.refresh_from_db()
    payload = {"version": invitation.version, "save": "1", **data, **extra}
    return client.post(f"/questionnaire/{invitation.interview_id}/step/{code}/", payload)


def stored_values(interview, code):
    """The step's valid answers as Answer columns, as the form would produce them."""
    from benchmarking.forms.interviews import InterviewStepForm
    from benchmarking.selectors.interviews import interview_sheet

    sheet = interview_sheet(interview)
    step = InterviewStepForm(
        valid_step_data(interview, code) | {"version": 1}, sheet=sheet, category=sheet.category(code)
    )
    step.validate()
    return step.saveable_values()


def propose_step_a(client, interview):
    """The manager's proposals for step A: a year, a choice, two of a multi, counts and shares,
    and a reason with a comment; steps B to F stay unanswered."""
    invitation, manager = invited_manager(interview)
    login(client, manager)
    options = {i.code: i.options for i in interview.catalogue.indicators.filter(category__code="A")}
    data = valid_step_data(interview, "A") | {
        "A1-value": "1997",
        "A2-value": options["A2"][1],
        "A3-value": [options["A3"][0], options["A3"][2]],
        "A8-value": "",
        "A8-missing_reason": "not_disclosed",
        "A8-comment": "The board decides in May.",
    }
    assert post_manager_step(client, invitation, "A", data).status_code == 302
    return options
