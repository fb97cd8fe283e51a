"""Every kind of page, as each kind of user sees it, runs under the Content-Security-Policy
without a single violation: no inline script, no inline <style> without the nonce, nothing
from another origin. Violations are caught twice: the `securitypolicyviolation` event and
Chromium's console error ("Refused to ... because it violates the following Content Security
Policy directive")."""

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, Page

from benchmarking.models import Interview
from clusters.models import Cluster
from tests.browser.site_map import build_site

pytestmark = pytest.mark.browser

RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"} (${where})`);
});
"""


# Beyond the site map (tests/browser/site_map.py, which the phone and axe walks read too): the
# pages that only have to keep the policy, not fit a phone or pass axe (Django's own admin, the
# health check's JSON).
ADMIN_PAGES = [
    "admin:index",
    "admin:clusters_cluster_changelist",
    "admin:benchmarking_label_changelist",
    "admin:benchmarking_label_add",
    "admin:clusters_cluster_import",
]


@pytest.fixture
def site(transactional_db, reference_data):
    pages = {user: list(paths) for user, paths in build_site().values()}
    secretariat = next(user for user in pages if user is not None and user.is_superuser)
    cluster = Cluster.objects.get(name="Bavarian Software Cluster")
    approved = Interview.objects.get(cluster=cluster, status=Interview.Status.APPROVED)
    pages[None].append(reverse("health"))
    pages[secretariat] += [
        *(reverse(name) for name in ADMIN_PAGES),
        reverse("admin:clusters_cluster_change", args=[cluster.pk]),
        reverse("admin:benchmarking_interview_change", args=[approved.pk]),
    ]
    return pages


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
