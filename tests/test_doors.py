"""One door per write, with its side effects inside it (issue 23).

- Statically: outside the `services/` packages (and migrations and tests), no module calls a
  refresh of derived data, nor bulk-writes a service-owned model (bulk_create, update,
  insert_rows... bypass the model's signals, so the runtime check cannot see them).
- At run time (tests/doors.py, installed for every test): a save of a service-owned
  model reached from a request or a command without a service on the call stack fails the
  test. The tests below prove that check can fail, and that the admin's doors pass it.
"""

import ast
from pathlib import Path

import pytest
from django.urls import include, path

from benchmarking.models import Label
from benchmarking.services.clusters import cluster_save
from clusters.models import Cluster
from tests import factories
from tests.doors import NOT_YET_THROUGH_SERVICES, SERVICE_OWNED, WriteOutsideServices

ROOT = Path(__file__).resolve().parent.parent
SKIPPED_PARTS = {".venv", "migrations", "tests", "node_modules", "staticfiles", "static", "benchmarks"}
REFRESHES = {"peer_values_refresh", "label_facts_refresh", "derived_data_refresh"}
BULK_WRITES = {"bulk_create", "bulk_update", "update", "create", "get_or_create", "update_or_create", "delete"}
BULK_HELPERS = {"insert_rows", "update_rows", "bulk_create_with_history", "bulk_update_with_history"}
OWNED_NAMES = {label.split(".")[1] for label in SERVICE_OWNED}


def _modules():
    for file in sorted(ROOT.rglob("*.py")):
        parts = file.relative_to(ROOT).parts
        if SKIPPED_PARTS & set(parts) or parts == ("conftest.py",):
            continue
        yield file, parts


def _root_name(node) -> str | None:
    """The name a call chain starts from: `Label` for Label.objects.filter(...).update(...)."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _violations(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if name in REFRESHES:
            found.append(f"line {node.lineno}: calls {name}")
        elif name in BULK_HELPERS and node.args and _root_name(node.args[0]) in OWNED_NAMES:
            found.append(f"line {node.lineno}: {name}({_root_name(node.args[0])}, ...)")
        elif (
            name == "bulk_create_with_history"
            and len(node.args) > 1
            and _root_name(node.args[1]) in OWNED_NAMES
        ):
            found.append(f"line {node.lineno}: {name}(..., {_root_name(node.args[1])})")
        elif isinstance(func, ast.Attribute) and name in BULK_WRITES:
            root = _root_name(func.value)
            if root in OWNED_NAMES and "objects" in ast.unparse(func.value):
                found.append(f"line {node.lineno}: {root}.objects...{name}(...)")
    return found


def test_no_module_outside_the_services_refreshes_or_bulk_writes_a_service_owned_model():
    outside = {}
    for file, parts in _modules():
        if "services" in parts or "/".join(parts) in NOT_YET_THROUGH_SERVICES:
            continue
        found = _violations(ast.parse(file.read_text(), filename=str(file)))
        if found:
            outside["/".join(parts)] = found
    assert outside == {}


def test_the_static_check_sees_each_kind_of_write():
    source = """
peer_values_refresh([1])
insert_rows(Answer, rows)
bulk_create_with_history(answers, Answer)
Label.objects.filter(pk=1).update(status="withdrawn")
Interview.objects.create(cluster=c)
Expert.objects.create(user=u)
"""
    assert len(_violations(ast.parse(source))) == 5  # the expert is reference data, not service-owned


# --- The run-time check --------------------------------------------------------------------------


def write_directly(request):
    cluster = Cluster.objects.get()
    cluster.region = "Written by a view"
    cluster.save()
    raise AssertionError("the save should have been refused")


def write_through_the_service(request):
    from django.http import HttpResponse

    cluster = Cluster.objects.get()
    cluster.region = "Written by the service"
    cluster_save(cluster=cluster, user=None)
    return HttpResponse("saved")


urlpatterns = [
    path("directly/", write_directly),
    path("through-the-service/", write_through_the_service),
    path("", include("ecei_site.urls")),  # the error page links home
]


@pytest.mark.urls("tests.test_doors")
def test_a_view_that_saves_a_service_owned_model_itself_fails(client, reference_data):
    factories.ClusterFactory()
    with pytest.raises(WriteOutsideServices, match="tests/test_doors.py"):
        client.get("/directly/")
    assert not Cluster.objects.filter(region="Written by a view").exists()


@pytest.mark.urls("tests.test_doors")
def test_a_view_that_saves_through_the_service_passes(client, reference_data):
    factories.ClusterFactory()
    assert client.get("/through-the-service/").content == b"saved"
    assert Cluster.objects.get().region == "Written by the service"


def test_a_test_may_build_its_world_directly(reference_data):
    cluster = factories.ClusterFactory()
    label = factories.LabelFactory(cluster=cluster)
    cluster.region = "Set up by a test"
    cluster.save()
    assert Label.objects.filter(pk=label.pk).exists()
