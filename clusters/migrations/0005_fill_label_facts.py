"""Fill the new columns of existing clusters: the country name and the label facts.

Also, on PostgreSQL, the index that serves the public list's order by name: the folded
name compared byte by byte (COLLATE "C", see directory.selectors.name_order). SQLite
compares bytes anyway and uses the plain name_folded index.
"""

from itertools import groupby

from django.db import migrations
from django_countries import countries

NAME_INDEX = "cluster_name_folded_c"


def fill(apps, schema_editor):
    from benchmarking.services.label_facts import label_facts

    Cluster = apps.get_model("clusters", "Cluster")
    Label = apps.get_model("benchmarking", "Label")
    names = dict(countries)
    labels = Label.objects.only("cluster_id", "status", "valid_from", "valid_until").order_by(
        "cluster_id", "-valid_until", "-pk"
    )
    facts = {
        cluster_id: label_facts(list(rows)) for cluster_id, rows in groupby(labels.iterator(), lambda r: r.cluster_id)
    }
    batch = []
    for cluster in Cluster.objects.only("pk", "country").iterator(chunk_size=2000):
        fact = facts.get(cluster.pk)
        cluster.country_name = str(names.get(cluster.country, cluster.country))
        if fact is not None:
            cluster.label_status, cluster.label_valid_from, cluster.label_valid_until = (
                fact.status,
                fact.valid_from,
                fact.valid_until,
            )
        batch.append(cluster)
        if len(batch) == 2000:
            Cluster.objects.bulk_update(
                batch, ["country_name", "label_status", "label_valid_from", "label_valid_until"]
            )
            batch = []
    Cluster.objects.bulk_update(batch, ["country_name", "label_status", "label_valid_from", "label_valid_until"])


def create_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {NAME_INDEX} ON clusters_cluster ((name_folded COLLATE "C"), id)'
        )


def drop_name_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NAME_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0004_label_facts"),
        ("benchmarking", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_name_index, drop_name_index),
    ]
