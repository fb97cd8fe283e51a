import pytest

from tests.factories import InterviewFactory


@pytest.fixture
def interview(expert):
    """A draft interview of `expert`, which the manager is invited to prepare."""
    return InterviewFactory(expert=expert)
