"""The health endpoint for the reverse proxy and monitoring.

200 when the database answers and every migration is applied; 503 otherwise, with the
reason. It reads nothing else and needs no login, so it reveals no data.
"""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


def unapplied_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


@never_cache
@require_safe
def health(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        pending = unapplied_migrations()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": f"unreachable: {error.__class__.__name__}"}, status=503)
    if pending:
        return JsonResponse({"status": "error", "database": "ok", "unapplied_migrations": pending}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "migrations": "applied"})
