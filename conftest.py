"""Fixtures shared by every test: reference data, the three kinds of user, the browser."""

import os

import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests import factories

# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests
# make around it are still synchronous, which Django would otherwise refuse.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# --- Two workers (pytest-xdist: make test, .ci/run) -----------------------------------------

# Test modules whose tests must all run on one worker: the multi-node test starts its servers once
# for the module (a module-scoped fixture), and starting them on both workers would run two sets of
# gunicorn servers on two cores, and two collectstatic writing staticfiles/ at once.
ONE_WORKER_MODULES = frozenset({"tests/test_multinode.py"})


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """xdist's `load` scheduling (each test to whichever worker is free), but the tests of each of
    ONE_WORKER_MODULES to one worker. xdist's own way, @pytest.mark.xdist_group with --dist
    loadgroup, does nothing with pytest 9.2 and xdist 3.8.0: xdist renames the grouped items
    through `item._nodeid`, which pytest no longer reads (the node id is `item._id` now), so the
    group's tests went to both workers."""
    if config.getvalue("dist") != "load":
        return None  # --dist given on the command line: xdist's own scheduling
    from xdist.scheduler import LoadScopeScheduling

    class LoadKeepingModulesTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            module = nodeid.split("::", 1)[0]
            return module if module in ONE_WORKER_MODULES else nodeid  # a scope per test: `load`

    return LoadKeepingModulesTogether(config, log)


@pytest.fixture(scope="session", autouse=True)
def _one_door_per_write(django_db_setup):
    """A service-owned model written by a view, the admin, an import or a command without a
    service fails the test (tests/doors.py)."""
    from tests import doors

    doors.install()


@pytest.fixture(scope="session", autouse=True)
def _translations_compiled():
    """The tests read the pages in Spanish and German: compile any .po newer than its .mo."""
    from django.utils.translation import trans_real

    from accounts.management.commands.compiletranslations import compile_catalogues

    if compile_catalogues():
        trans_real._translations = {}
        trans_real._default = None


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request of an earlier test may have
    left another one active in this thread (and translated fields follow the active language)."""
    from django.utils import translation

    translation.activate("en-gb")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # stored report PDFs, never in the project's media/
    # Each test's own local-memory cache, even when CACHE_URL is set: cache.clear() below would
    # empty a shared Redis (tests/test_shared_cache.py uses one under a prefix of its own).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Tasks run for real, at once, in the test's process (tests/test_tasks.py runs the database
    # backend and its worker where the queue itself is tested).
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.AXES_ENABLED = True
    cache.clear()  # the overview's counts are cached; each test starts from its own database


@pytest.fixture
def reference_data(db):
    """The 13 comparative portfolios, catalogue v1, the Gold indicators and the Silver baseline
    requirements, as `make run` loads them."""
    call_command(
        "loaddata", "portfolios", "catalogue_v1", "gold_indicators_2020", "baseline_requirements_2019", verbosity=0
    )


@pytest.fixture
def seed_clusters(reference_data):
    """The 35 Mexican clusters of the original public listing, with their Bronze labels."""
    call_command("loaddata", "seed_clusters_mx", verbosity=0)


@pytest.fixture
def catalogue(reference_data):
    from benchmarking.models import Catalogue

    return Catalogue.objects.get(version="1")


@pytest.fixture
def expert(reference_data):
    return factories.ExpertFactory()


@pytest.fixture
def other_expert(reference_data):
    return factories.ExpertFactory()


@pytest.fixture
def staff_user(db):
    return factories.UserFactory(is_staff=True, username="secretariat")


@pytest.fixture
def board_user(db):
    """A member of the EUCLES board (not staff): decides on the recommended labels."""
    return factories.board_member(username="board")


@pytest.fixture
def plain_user(db):
    return factories.UserFactory(username="someone")


# --- Browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "headless": True}


@pytest.fixture(scope="session")
def screenshot_dir():
    path = os.path.join(os.path.dirname(__file__), "screenshots")
    os.makedirs(path, exist_ok=True)
    return path
