"""Shared steps of the browser tests."""

import pytest
from playwright.sync_api import Page, expect

from tests import factories

# Two cores are shared by the live server, Chromium and the test: wait before failing.
expect.set_options(timeout=15_000)


@pytest.fixture
def log_in(live_server):
    """Log `user` in through the real login form, as a person would."""

    def log_in(page: Page, user) -> None:
        page.goto(live_server.url + "/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(factories.PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    return log_in
