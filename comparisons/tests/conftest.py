import pytest
from django.core.management import call_command

from clusters.models import ComparativePortfolio
from comparisons.selectors.matrix import forget_matrices
from comparisons.tests.helpers import benchmarked, manager_of
from tests.browser.conftest import log_in  # noqa: F401 - the browser tests' login step, shared


@pytest.fixture(autouse=True)
def _fresh_columns():
    """Each test reads the peer values of its own database (ids repeat between tests)."""
    forget_matrices()
    yield
    forget_matrices()


@pytest.fixture
def groups_data(reference_data):
    call_command("loaddata", "comparison_groups", verbosity=0)


@pytest.fixture
def ict(reference_data):
    return ComparativePortfolio.objects.get(slug="ict")


@pytest.fixture
def own(ict, groups_data):
    """A German ICT cluster with an approved benchmarking (B4: 4.5 FTE), and 12 German and
    8 Austrian peers, in two portfolios."""
    cluster = benchmarked(1, portfolio=ict, seed=99, values=lambda i: {"B4": 4.5})[0]
    return cluster


@pytest.fixture
def peers(own, ict):
    other = ComparativePortfolio.objects.exclude(pk=ict.pk).order_by("pk").first()
    return {
        "de_ict": benchmarked(12, portfolio=ict, country="DE", seed=1),
        "at_ict": benchmarked(8, portfolio=ict, country="AT", seed=100),
        "fr_other": benchmarked(7, portfolio=other, country="FR", seed=200),
    }


@pytest.fixture
def manager(own):
    return manager_of(own, "manager")
