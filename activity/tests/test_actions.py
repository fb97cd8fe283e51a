"""The action codes live in one module (activity.actions), each with its name in every language;
no module logs a code outside it, and log_action refuses one that is not there."""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

from activity import actions
from activity.models import ActionLog
from activity.services import NotInTransaction, log_action
from tests.factories import ClusterFactory

SOURCE_FOLDERS = ["accounts", "activity", "api", "benchmarking", "clusters", "ecei_site", "exchange"]
CONSTANTS = {name for name, value in vars(actions).items() if isinstance(value, str) and value in actions.CODES}
LOOKS_LIKE_A_CODE = re.compile(r"^[a-z]+\.[a-z_]+$")


def test_every_code_is_a_constant_with_a_name():
    assert {getattr(actions, name) for name in CONSTANTS} == actions.CODES
    assert all(LOOKS_LIKE_A_CODE.match(code) for code in actions.CODES)
    for code in ["label.suspended", "interview.returned", "board.decided", "cluster.updated", "import.applied"]:
        assert code in actions.CODES


@pytest.mark.parametrize("language", ["de", "es"])
def test_every_action_has_its_name_in_each_language(language):
    with translation.override("en"):
        english = {code: actions.action_label(code) for code in actions.CODES}
    with translation.override(language):
        translated = {code: actions.action_label(code) for code in actions.CODES}
    assert [code for code in actions.CODES if translated[code] == english[code]] == []
    assert len(set(translated.values())) == len(actions.CODES), "two actions read the same"


def misnamed_codes(source: str) -> list[str]:
    """Where `source` names an action code other than through activity.actions: a code written
    as a string, a constant that activity.actions does not have, or a log_action whose action
    is written as a string (a variable or a mapping of constants is checked when it runs)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and node.value in actions.CODES:
            found.append(f"line {node.lineno}: {node.value!r}")
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "actions":
            if node.attr not in CONSTANTS and not hasattr(actions, node.attr):
                found.append(f"line {node.lineno}: actions.{node.attr}")
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) == "log_action":
            action = next((k.value for k in node.keywords if k.arg == "action"), None)
            if action is None or isinstance(action, ast.Constant | ast.JoinedStr):
                found.append(f"line {node.lineno}: log_action without a constant")
    return found


def test_the_check_finds_a_code_outside_the_constants():
    assert misnamed_codes('log_action(action="label.suspended", obj=label, user=None)')
    assert misnamed_codes("log_action(action=actions.LABEL_SUSPENDDE, obj=label, user=None)")
    assert misnamed_codes('CODE = "interview.returned"')
    assert misnamed_codes('log_action(action=f"label.{verb}", obj=label, user=None)')
    assert not misnamed_codes("log_action(action=actions.LABEL_SUSPENDED, obj=label, user=None)")


def test_no_module_logs_a_code_outside_the_constants():
    root = Path(settings.BASE_DIR)
    found = []
    for folder in SOURCE_FOLDERS:
        for path in sorted((root / folder).rglob("*.py")):
            if {"migrations", "tests"} & set(path.relative_to(root).parts) or path == root / "activity" / "actions.py":
                continue
            found += [f"{path.relative_to(root)}: {where}" for where in misnamed_codes(path.read_text("utf-8"))]
    assert not found, "name the action with a constant of activity/actions.py:\n" + "\n".join(found)


@pytest.mark.django_db
def test_log_action_refuses_a_code_that_is_not_listed(staff_user):
    with pytest.raises(ValueError, match="not an action"):
        log_action(action="label.painted", obj=ClusterFactory(), user=staff_user)
    assert not ActionLog.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_log_action_runs_only_inside_the_transaction_of_its_write(staff_user):
    cluster = ClusterFactory()
    with pytest.raises(NotInTransaction):
        log_action(action=actions.CLUSTER_UPDATED, obj=cluster, user=staff_user)
    with transaction.atomic():
        entry = log_action(action=actions.CLUSTER_UPDATED, obj=cluster, user=staff_user, reason="  Renamed  ")
    assert (entry.cluster, entry.reason, entry.data) == (cluster, "Renamed", {})
