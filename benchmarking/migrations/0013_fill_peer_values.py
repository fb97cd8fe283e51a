"""Fill the stored peer values of existing databases (a database made after this migration
keeps them through the services)."""

from django.db import migrations


def fill(apps, schema_editor):
    # The service's own code, so that the backfill and the services cannot disagree. It reads
    # and writes only the columns that exist at this point; if PeerValue ever gains a column,
    # make this a no-op and run peer_values_rewrite from the migration that adds it. The
    # stored groups come later (0014 builds them from these rows).
    from benchmarking.services.peer_values import peer_values_rewrite

    Interview = apps.get_model("benchmarking", "Interview")
    if Interview.objects.filter(status="approved").exists():
        peer_values_rewrite()


class Migration(migrations.Migration):
    dependencies = [("benchmarking", "0012_peer_values")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop, elidable=True)]
