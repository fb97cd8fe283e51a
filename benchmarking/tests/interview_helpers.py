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
