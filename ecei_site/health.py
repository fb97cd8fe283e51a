"""The health endpoint for the reverse proxy and monitoring.

200 when every part an app server depends on works: the database answers and every migration
is applied, the cache keeps a value (a set and get round trip), and the file storage writes,
reads back and deletes a small file. 503 when the database or the storage fails, naming the part
and the kind of error, so that the proxy stops sending requests to a server that would fail them.
A cache that does not answer is reported ("cache": "unreachable: ConnectionError", "status":
"degraded") with a 200: the site answers without it (ecei_site/cache.py), and a shared Redis that
is down would otherwise take every app server out of the proxy at once. Monitoring alerts on any
"status" but "ok". It needs no login and reveals no data. The task queue is reported beside them
(tasks waiting, the oldest waiting one's age in seconds, running, failed for good) without deciding
the status: a queue whose `oldest_waiting_seconds` climbs means no worker runs.
"""

import uuid

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from ecei_site.tasks import queue_state

OK = "ok"


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def database_state() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = unapplied_migrations()
    except DatabaseError as error:
        return {"database": f"unreachable: {error.__class__.__name__}"}
    if pending:
        return {"database": OK, "unapplied_migrations": pending}
    return {"database": OK, "migrations": "applied"}


def cache_state() -> str:
    key, value = f"health:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        if hasattr(cache, "round_trip"):  # Redis itself, past the degrading cache's fallbacks
            read = cache.round_trip(key, value)
        else:
            cache.set(key, value, timeout=10)
            read = cache.get(key)
            cache.delete(key)
    except Exception as error:  # each cache backend raises its own (redis.ConnectionError, TimeoutError, ...)
        return f"unreachable: {error.__class__.__name__}"
    return OK if read == value else "failing: a value set was not read back"


def storage_state() -> str:
    content = uuid.uuid4().bytes
    try:
        name = default_storage.save(f"health/{uuid.uuid4().hex}.probe", ContentFile(content))
        try:
            with default_storage.open(name, "rb") as file:
                read = file.read()
        finally:
            default_storage.delete(name)
    except Exception as error:  # OSError on a disk, DatabaseError in the database, whatever another backend raises
        return f"failing: {error.__class__.__name__}"
    return OK if read == content else "failing: a file written was not read back"


@never_cache
@require_safe
def health(request):
    state = {**database_state(), "cache": cache_state(), "storage": storage_state()}
    serving = state["database"] == state["storage"] == OK and "unapplied_migrations" not in state
    status = ("ok" if state["cache"] == OK else "degraded") if serving else "error"
    # The task queue is reported, never a reason for 503: a late or failed task is the
    # secretariat's to look at (admin, Task results), and this server still serves requests.
    state["tasks"] = queue_state()
    return JsonResponse({"status": status, **state}, status=200 if serving else 503)
