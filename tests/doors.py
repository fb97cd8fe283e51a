"""One door per write: the models the services own are saved only from a service.

Installed for the whole test session by conftest.py, so every test that goes through a view,
the admin, an import or a command proves its door: a save of a service-owned model
with no `services/` module on the call stack fails the test that made it. Tests and their
factories may build rows directly (they set up worlds); migrations and fixtures (`raw`) too.
Bulk writes that bypass signals are checked statically by tests/test_doors.py.
"""

import sys
from pathlib import Path

from django.apps import apps
from django.db.models.signals import pre_save

ROOT = Path(__file__).resolve().parent.parent

# The domain's records whose every write has side effects (peer values, label facts, history,
# actions): interviews, answers, labels, recommendations, clusters, audits and assessments.
SERVICE_OWNED = [
    "benchmarking.Interview",
    "benchmarking.Answer",
    "benchmarking.ReviewComment",
    "benchmarking.Proposal",
    "benchmarking.ManagerInvitation",
    "benchmarking.SilverAudit",
    "benchmarking.RequirementCheck",
    "benchmarking.ImprovementArea",
    "benchmarking.AuditRecommendation",
    "benchmarking.GoldAssessment",
    "benchmarking.GoldScore",
    "benchmarking.Label",
    "benchmarking.LabelRecommendation",
    "benchmarking.Report",
    "benchmarking.PeerValue",
    "benchmarking.PeerGroupValues",
    "clusters.Cluster",
    "comparisons.Comparison",
    "comparisons.ShownGroup",
]


class WriteOutsideServices(AssertionError):
    pass


# Where a request or a command enters the project: a write reached from there must pass a service.
ENTRY_POINTS = (
    str(Path("django", "core", "handlers", "base.py")),
    str(Path("django", "core", "management", "base.py")),
)


def _door(frame) -> str | None:
    """The service module that writes, walking out from the write; None when the walk reaches a
    request or a command first (the write was not made by a service). A test that builds its
    world directly reaches neither: it is its own door."""
    while frame is not None:
        path = frame.f_code.co_filename
        if path.startswith(str(ROOT)) and "/.venv/" not in path:
            parts = Path(path[len(str(ROOT)) + 1 :]).parts
            if "services" in parts or "migrations" in parts:
                return path
        elif path.endswith(ENTRY_POINTS):
            return None
        frame = frame.f_back
    return "the test itself"


def _writer(frame) -> str:
    """The innermost project module on the stack, the model layer aside, named in the failure."""
    while frame is not None:
        path = frame.f_code.co_filename
        mine = path.startswith(str(ROOT)) and "/.venv/" not in path
        if mine and not path.endswith(("/tests/doors.py", "models.py")) and "/models/" not in path:
            return f"{path[len(str(ROOT)) + 1 :]}:{frame.f_lineno}"
        frame = frame.f_back
    return "?"


# Writers still on their way into the services: none.
NOT_YET_THROUGH_SERVICES: set[str] = set()


def _check_caller(sender, instance, **kwargs):
    if kwargs.get("raw"):
        return  # loaddata: reference fixtures, no door
    if _door(sys._getframe(1)) is not None:
        return
    if _writer(sys._getframe(1)).split(":")[0] in NOT_YET_THROUGH_SERVICES:
        return
    raise WriteOutsideServices(
        f"{sender._meta.label} {instance.pk or '(new)'} was written from {_writer(sys._getframe(1))}, outside "
        "the services: call the service that owns it (its side effects live there)"
    )


def install() -> None:
    # Saves only: a pre_delete receiver would turn Django's fast deletes (one DELETE) into a
    # SELECT and a DELETE per batch, so the tests would count other queries than production runs.
    # Deletes outside the services are found by tests/test_doors.py's static check.
    for label in SERVICE_OWNED:
        pre_save.connect(_check_caller, sender=apps.get_model(label), dispatch_uid=f"doors-save-{label}")
