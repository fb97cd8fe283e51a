import uuid

from django.db import migrations, models

import benchmarking.models


def one_version_each(apps, schema_editor):
    # AddField gave every row the same default: each stored group gets its own.
    PeerGroupValues = apps.get_model("benchmarking", "PeerGroupValues")
    for pk in PeerGroupValues.objects.values_list("pk", flat=True):
        PeerGroupValues.objects.filter(pk=pk).update(version=uuid.uuid4().hex)


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarking", "0022_admin_list_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="peergroupvalues",
            name="version",
            field=models.CharField(default=benchmarking.models.new_group_version, editable=False, max_length=32),
        ),
        migrations.RunPython(one_version_each, migrations.RunPython.noop, elidable=True),
    ]
