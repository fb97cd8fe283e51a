"""What the settings make of TASK_BACKEND (issue 26; ecei_site/tasks.py, docs/deployment.md
"The task worker").

TASK_BACKEND=database (the default): a task is a row in the site's own database, written in the
transaction of the write that asks for it, and run by `manage.py db_worker` (started beside
gunicorn by `make serve` and the systemd unit, beside runserver by `make run`). No new server.
TASK_BACKEND=immediate runs each task at once in the process that asks for it (the tests; a
site without a worker). In Django 6 the setting and the tasks stay the same; only the backend's
import path drops the backport's name.
"""

from django.core.exceptions import ImproperlyConfigured

TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}


def task_config(name: str) -> dict:
    """TASKS for TASK_BACKEND=`name`."""
    if name not in TASK_BACKENDS:
        raise ImproperlyConfigured(f"TASK_BACKEND must be database or immediate, not {name!r}.")
    return {"default": {"BACKEND": TASK_BACKENDS[name]}}
