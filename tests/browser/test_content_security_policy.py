"""Every kind of page, as each kind of user sees it, runs under the Content-Security-Policy
without a single violation: no inline script, no inline <style> without the nonce, nothing
from another origin. Violations are caught twice: the `securitypolicyviolation` event and
Chromium's console error ("Refused to ... because it violates the following Content Security
Policy directive")."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from benchmarking.models import Interview
from benchmarking.services.reports import report_issue
from tests import factories

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${where})`);
});
"""


@pytest.fixture
def site(transactional_db, reference_data):
    staff = factories.UserFactory(username="secretariat", is_staff=True, is_superuser=True)
    expert = factories.ExpertFactory(user__username="expert")
    draft = factories.InterviewFactory(expert=expert)
    factories.answer_all(draft)
    submitted = factories.answer_all(factories.InterviewFactory(status=Interview.Status.SUBMITTED))
    approved = factories.approved_interview(expert=expert)
    report = report_issue(interview=approved, user=staff)
    label = factories.LabelFactory(cluster=approved.cluster)
    manager = factories.UserFactory(username="manager")
    approved.cluster.managers.add(manager)
    steps = [
        reverse("benchmarking:interview_step", kwargs={"pk": draft.pk, "code": category.code})
        for category in draft.catalogue.categories.order_by("order")
    ]
    cluster = approved.cluster
    return {
        None: [
            reverse("home"),
            reverse("clusters:list"),
            reverse("clusters:detail", args=[cluster.slug]),
            reverse("benchmarking:label_verify"),
            reverse("benchmarking:label_public", args=[label.code]),
            reverse("benchmarking:label_certificate", args=[label.code]),
            reverse("login"),
            "/no/such/page/",  # the 404 page
            reverse("health"),
            reverse("api:docs"),  # Swagger UI, from static files
        ],
        expert.user: [
            reverse("benchmarking:interview_list"),
            reverse("benchmarking:interview_new"),
            reverse("benchmarking:interview_detail", args=[draft.pk]),
            *steps,
            reverse("benchmarking:interview_history", args=[draft.pk]),
            reverse("benchmarking:interview_recommendations", args=[draft.pk]),
            reverse("benchmarking:review_queue"),  # the 403 page
        ],
        staff: [
            reverse("benchmarking:review_queue"),
            reverse("benchmarking:review_interview", args=[submitted.pk]),
            reverse("benchmarking:review_approve", args=[submitted.pk]),
            reverse("benchmarking:label_list"),
            reverse("benchmarking:label_staff", args=[label.code]),
            reverse("benchmarking:cluster_labels", args=[cluster.pk]),
            reverse("benchmarking:silver_audit_new", args=[cluster.pk]),
            reverse("benchmarking:gold_assessment_new", args=[cluster.pk]),
            reverse("benchmarking:report", args=[report.code]),
            reverse("admin:index"),
            reverse("admin:clusters_cluster_changelist"),
            reverse("admin:clusters_cluster_change", args=[cluster.pk]),
            reverse("admin:benchmarking_interview_change", args=[approved.pk]),
            reverse("admin:benchmarking_label_changelist"),
            reverse("admin:benchmarking_label_add"),
            reverse("admin:clusters_cluster_import"),
            reverse("exchange:exports"),
            reverse("exchange:legacy_import"),
        ],
        manager: [
            reverse("benchmarking:my_cluster"),
            reverse("benchmarking:report", args=[report.code]),
        ],
    }


def _visit_all(page: Page, base_url: str, paths: list[str]) -> list[str]:
    console = []

    def on_console(message):
        if "Content Security Policy" in message.text:
            console.append(f"{page.url}: {message.text}")

    page.on("console", on_console)
    found = []
    for path in paths:
        response = page.goto(base_url + path)
        assert response is not None and response.status < 500, f"{path}: {response and response.status}"
        page.wait_for_load_state("networkidle")  # scripts that fetch and render after load, too
        found += [f"{path}: {v}" for v in page.evaluate("window.__cspViolations")]
    return found + console


def test_no_page_breaks_the_content_security_policy(browser: Browser, live_server, log_in, site):
    violations = []
    for user, paths in site.items():
        context = browser.new_context()
        context.add_init_script(RECORD_VIOLATIONS)
        page = context.new_page()
        if user is not None:
            log_in(page, user)
        violations += _visit_all(page, live_server.url, paths)
        context.close()
    assert violations == [], "\n".join(violations)
