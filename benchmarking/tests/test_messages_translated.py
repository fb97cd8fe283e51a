"""Messages from the services, views and forms in the reader's language (issue 13). Stored
texts (a confirmed warning, a reason in the history) stay as they were written and are
translated, where they are the site's own words, when shown."""

import pytest
from django.urls import reverse
from django.utils import translation

from accounts.models import Profile
from benchmarking.models import Answer
from benchmarking.rules.answer_warnings import WARNING_ABOVE, WARNING_TOTAL, translated_warning
from benchmarking.services.review import ReviewError, interview_reject
from benchmarking.tests.interview_helpers import login
from tests import factories


def _speak(client, user, language):
    Profile.objects.update_or_create(user=user, defaults={"language": language})
    login(client, user)
    client.post(reverse("set_language"), {"language": language})


def test_a_stored_warning_is_english_and_shown_in_the_readers_language():
    stored = WARNING_TOTAL % {"code": "A5", "value": "100", "other": "A4", "other_value": "120"}
    assert stored == "The total of A5 (100) differs from A4 (120)."
    with translation.override("de"):
        assert translated_warning(stored) == "Die Summe von A5 (100) weicht von A4 (120) ab."
    with translation.override("es"):
        assert translated_warning(WARNING_ABOVE % {"code": "B4", "value": "7", "other": "B3", "other_value": "5"}) == (
            "B4 (7) es superior a B3 (5)."
        )
        assert translated_warning("Something the expert wrote.") == "Something the expert wrote."


def test_the_summary_shows_a_confirmed_warning_in_german(client, expert):
    interview = factories.answer_all(factories.InterviewFactory(expert=expert))
    Answer.objects.filter(interview=interview, indicator__code="B4").update(
        accepted_warnings=["B4 (7) is above B3 (5)."]
    )
    _speak(client, expert.user, "de")
    html = client.get(interview.get_absolute_url()).content.decode()
    assert "Bestätigte Warnung: B4 (7) liegt über B3 (5)." in html
    assert Answer.objects.get(interview=interview, indicator__code="B4").accepted_warnings == [
        "B4 (7) is above B3 (5)."
    ]  # the record is unchanged


def test_an_incomplete_submission_is_refused_in_spanish(client, expert):
    interview = factories.InterviewFactory(expert=expert)
    _speak(client, expert.user, "es")
    response = client.post(
        reverse("benchmarking:interview_submit", kwargs={"pk": interview.pk}), {"version": interview.version},
        follow=True,
    )
    assert "La entrevista aún no puede enviarse:" in response.content.decode()


def test_a_saved_step_is_announced_in_german(client, expert):
    from benchmarking.tests.interview_helpers import post_step

    interview = factories.InterviewFactory(expert=expert)
    _speak(client, expert.user, "de")
    response = post_step(client, interview, "A", {}, follow=True)
    assert "Gespeichert: A." in response.content.decode()


def test_a_refusal_of_the_review_service_follows_the_active_language(expert):
    interview = factories.InterviewFactory(expert=expert)
    secretary = factories.UserFactory(is_staff=True)
    with translation.override("de"), pytest.raises(ReviewError, match="Geben Sie eine Begründung an"):
        interview_reject(interview=interview, user=secretary, reason=" ")
    with translation.override("es"), pytest.raises(ReviewError, match="puede tener como máximo 1000 caracteres"):
        interview_reject(interview=interview, user=secretary, reason="x" * 1001)


def test_the_legacy_import_explains_errors_in_the_readers_language(client, reference_data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = factories.UserFactory(is_staff=True)
    _speak(client, staff, "es")
    upload = SimpleUploadedFile("old.csv", b"cluster;nonsense\nX;1\n", content_type="text/csv")
    response = client.post(reverse("exchange:legacy_import"), {"file": upload, "dry_run": "on"})
    assert response.status_code == 302  # the import job's page, its check done by the worker in Spanish
    html = client.get(response["Location"]).content.decode()
    assert "columna desconocida" in html and "esta columna es obligatoria" in html
