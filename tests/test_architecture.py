"""Imports run one way (docs/architecture.md): the contracts in pyproject.toml, [tool.importlinter].

- In benchmarking: views over services, forms and documents, over selectors, over rules, over
  models; so selectors and forms never import services, and rules import no selectors, services
  or views.
- clusters imports nothing of the apps built on it; benchmarking nothing of directory, exchange
  or the API.

A broken contract prints the chain of imports that breaks it.
"""

from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parent.parent


def test_imports_run_one_way_between_the_layers_and_the_apps():
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True) == 0
