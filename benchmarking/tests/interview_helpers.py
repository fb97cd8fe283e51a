"""Shared helpers for the interview capture tests."""

from django.urls import reverse


def step_url(interview, code: str) -> str:
    return reverse("benchmarking:interview_step", kwargs={"pk": interview.pk, "code": code})


def login(client, user):
    client.force_login(user)  # django-axes needs a request for client.login()
    return client


def post_step(client, interview, code: str, data: dict, *, version=None, **extra):
    """POST a step as the page would: the version the page was built from, plus `data`."""
    interview.refresh_from_db()
    payload = {"version": interview.version if version is None else version, "save": "1", **data}
    return client.post(step_url(interview, code), payload, **extra)


def valid_value(indicator) -> dict:
    """POST data for a plausible, warning-free answer to `indicator` (catalogue v1)."""
    code, kind, options = indicator.code, indicator.kind, indicator.options
    if kind == "counts":
        # Six parts of 1 each: A5's total then equals A4's 6.
        return {f"{code}-part_{i}": "1" for i in range(len(options))}
    if kind == "shares":
        return {f"{code}-part_{i}": "100" if i == 0 else "0" for i in range(len(options))}
    if kind == "multi":
        return {f"{code}-value": [options[0]]}
    value = {"year": "2000", "integer": "6", "decimal": "3", "percent": "50", "money": "250000",
             "yes_no": "yes", "choice": options[0] if options else ""}[kind]
    return {f"{code}-value": value}


def valid_step_data(interview, code: str) -> dict:
    from benchmarking.models import Indicator

    data = {}
    for indicator in Indicator.objects.filter(catalogue=interview.catalogue, category__code=code):
        data |= valid_value(indicator)
    return data


def answer_of(interview, code: str):
    from benchmarking.models import Answer

    return Answer.objects.filter(interview=interview, indicator__code=code).first()
