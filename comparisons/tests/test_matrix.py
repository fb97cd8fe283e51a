"""The catalogue's columns brought up to date after a refresh are the columns a whole read gives:
members changed, moved to another portfolio, added and gone, each path (only the changed
members read again, or a whole read above the limit); a process's first comparison starts from
the columns file and reads only what changed since it was written."""

import numpy as np
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarking.models import Answer, Catalogue, Interview, PeerValue
from benchmarking.services.peer_values import peer_values_refresh
from clusters.models import ComparativePortfolio
from comparisons.selectors import matrix as columns
from comparisons.selectors.matrix import catalogue_matrix, caught_up, forget_matrices, read_matrix, store_version
from comparisons.selectors.matrix_file import columns_file_name, columns_from_file
from comparisons.tests.helpers import benchmarked
from ecei_site.shared_state import file_storage_config

pytestmark = pytest.mark.django_db


def canonical(m: columns.Matrix) -> dict:
    """What a matrix says, whatever the order of its series and options."""
    return {
        "ids": m.ids.tolist(),
        "portfolio": m.portfolio.tolist(),
        "country": m.country.tolist(),
        "year": m.year.tolist(),
        "interview": m.interview.tolist(),
        "member_rows": m.member_rows.tolist(),
        "numbers": {key: np.nan_to_num(m.numbers[row], nan=-1e308).tolist() for row, key in enumerate(m.series)},
        "answered": {i: m.answered[row].tolist() for row, i in enumerate(m.option_indicators)},
        "chosen": {i: {option: c.tolist() for option, c in found} for i, found in m.chosen.items()},
    }


def from_rows(m: columns.Matrix, catalogue) -> dict:
    """The number columns straight from the PeerValue rows: the oracle."""
    found = {key: [-1e308] * m.size for key in m.series}
    rows = PeerValue.objects.filter(catalogue=catalogue, role=PeerValue.Role.NUMBER)
    for cluster_id, indicator_id, series, number in rows.values_list("cluster_id", "indicator_id", "series", "number"):
        found[(indicator_id, series)][m.index_of(cluster_id)] = number
    return found


def _change(own, peers, ict):
    """A member's answer changed, another moved to another portfolio, one gone, two added."""
    changed, moved, gone = peers["de_ict"][0], peers["de_ict"][1], peers["at_ict"][0]
    Answer.objects.filter(interview__cluster=changed, indicator__code="B4").update(number=123)
    moved.portfolio = ComparativePortfolio.objects.exclude(pk=ict.pk).order_by("-pk").first()
    moved.save()
    Interview.objects.filter(cluster=gone).delete()
    peer_values_refresh([changed.pk, moved.pk, gone.pk])
    added = benchmarked(2, portfolio=ict, country="PL", seed=500)
    return changed, moved, gone, added


@pytest.mark.parametrize("limit", [columns.CATCH_UP_LIMIT, 0], ids=["changed members read", "whole read"])
def test_the_columns_brought_up_to_date_are_those_of_a_whole_read(own, peers, ict, limit, monkeypatch):
    catalogue = Catalogue.objects.current()
    kept = read_matrix(catalogue.pk, store_version(catalogue.pk))
    changed, moved, gone, added = _change(own, peers, ict)
    monkeypatch.setattr(columns, "CATCH_UP_LIMIT", limit)
    monkeypatch.setattr(columns, "NOTED", 50)  # the values set into the columns many times over
    version = store_version(catalogue.pk)
    assert version != kept.version

    brought = caught_up(kept, version)

    assert canonical(brought) == canonical(read_matrix(catalogue.pk, version))
    assert canonical(brought)["numbers"] == from_rows(brought, catalogue)
    assert gone.pk not in brought.ids and {c.pk for c in added} <= set(brought.ids.tolist())
    assert brought.numbers[brought.series.index(_b4(catalogue)), brought.index_of(changed.pk)] == 123
    assert brought.portfolio[brought.index_of(moved.pk)] == moved.portfolio_id


def test_only_the_changed_members_are_read_again(own, peers, ict):
    catalogue = Catalogue.objects.current()
    kept = read_matrix(catalogue.pk, store_version(catalogue.pk))
    changed = peers["fr_other"][0]
    Answer.objects.filter(interview__cluster=changed, indicator__code="B4").update(number=7)
    peer_values_refresh([changed.pk])

    with CaptureQueriesContext(connection) as queries:
        brought = caught_up(kept, store_version(catalogue.pk))

    values = [q["sql"] for q in queries if '"series"' in q["sql"]]  # the values' query (not the members')
    assert len(values) == 1 and f"IN ({changed.pk})" in values[0].replace("'", "")
    assert brought.numbers[brought.series.index(_b4(catalogue)), brought.index_of(changed.pk)] == 7
    untouched = brought.index_of(peers["de_ict"][3].pk)
    before = kept.numbers[:, kept.index_of(peers["de_ict"][3].pk)]
    assert np.array_equal(brought.numbers[:, untouched], before, equal_nan=True)


def _b4(catalogue):
    return (catalogue.indicators.get(code="B4").pk, "")


# --- The columns file: a process's first comparison starts from it ----------------------------


def test_a_first_comparison_starts_from_the_file_and_reads_only_what_changed(own, peers, ict):
    catalogue = Catalogue.objects.current()
    catalogue_matrix(catalogue.pk)  # a whole read, written to the file
    assert default_storage.exists(columns_file_name(catalogue.pk))
    changed = peers["de_ict"][5]
    Answer.objects.filter(interview__cluster=changed, indicator__code="B4").update(number=55)
    peer_values_refresh([changed.pk])
    forget_matrices()  # another process

    with CaptureQueriesContext(connection) as queries:
        found = catalogue_matrix(catalogue.pk)

    values = [q["sql"] for q in queries if '"series"' in q["sql"]]
    assert len(values) == 1 and f"IN ({changed.pk})" in values[0]
    version = store_version(catalogue.pk)
    assert found.version == version and found.reread == 1
    assert canonical(found) == canonical(read_matrix(catalogue.pk, version))


def test_a_file_far_behind_is_written_again(own, peers, ict, monkeypatch):
    catalogue = Catalogue.objects.current()
    catalogue_matrix(catalogue.pk)
    added = benchmarked(2, portfolio=ict, country="PL", seed=700)  # forgets the process's columns
    monkeypatch.setattr(columns, "FILE_BEHIND", 1)

    found = catalogue_matrix(catalogue.pk)

    assert found.reread == 2
    written = columns_from_file(catalogue.pk)
    assert written["member_rows"].tolist() == found.member_rows.tolist()
    assert {c.pk for c in added} <= set(written["ids"].tolist())


def test_a_damaged_file_is_read_as_none(own, peers, caplog):
    catalogue = Catalogue.objects.current()
    default_storage.save(columns_file_name(catalogue.pk), ContentFile(b"PK\x03\x04 half written"))

    found = catalogue_matrix(catalogue.pk)

    version = store_version(catalogue.pk)
    assert canonical(found) == canonical(read_matrix(catalogue.pk, version))
    assert "not read" in caplog.text
    assert columns_from_file(catalogue.pk)["ids"].tolist() == found.ids.tolist()  # written anew


def test_columns_up_to_date_read_no_values(own, peers):
    catalogue = Catalogue.objects.current()
    kept = read_matrix(catalogue.pk, store_version(catalogue.pk))
    with CaptureQueriesContext(connection) as queries:
        brought = caught_up(kept, ("another version", 0))  # the same rows
    assert len(queries) == 1  # the members only
    assert brought.reread == 0 and canonical(brought) == canonical(kept)


@pytest.mark.parametrize("backend", ["local", "database"])
def test_the_columns_file_reads_back_as_written_on_either_storage(own, peers, settings, backend):
    """FILE_STORAGE=database is what several app servers share: the same file, read back whole."""
    settings.STORAGES = {**settings.STORAGES, "default": file_storage_config(backend)}
    catalogue = Catalogue.objects.current()
    written = catalogue_matrix(catalogue.pk)
    forget_matrices()

    read = columns_from_file(catalogue.pk)

    assert read is not None
    assert canonical(columns.Matrix(**read)) == canonical(written)
