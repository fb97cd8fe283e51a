"""A cluster's timeline of current labels (CurrentLabelPeriod), filled from its labels.

The cluster's label columns now hold its most recent label's own dates (no longer the start
of a run of labels): both are refreshed here by the one rule (services/label_facts.py).
"""

from itertools import groupby

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from benchmarking.services.label_facts import current_label_periods, label_facts

    Cluster = apps.get_model("clusters", "Cluster")
    Label = apps.get_model("benchmarking", "Label")
    CurrentLabelPeriod = apps.get_model("benchmarking", "CurrentLabelPeriod")
    labels = Label.objects.only("cluster_id", "level", "status", "valid_from", "valid_until").order_by("cluster_id")
    periods, clusters = [], []
    for cluster_id, rows in groupby(labels.iterator(chunk_size=2000), lambda label: label.cluster_id):
        rows = list(rows)
        facts = label_facts(rows)
        clusters.append(Cluster(pk=cluster_id, label_status=facts.status, label_valid_from=facts.valid_from,
                                label_valid_until=facts.valid_until))
        periods += [CurrentLabelPeriod(cluster_id=cluster_id, **p.__dict__) for p in current_label_periods(rows)]
    Cluster.objects.bulk_update(clusters, ["label_status", "label_valid_from", "label_valid_until"], batch_size=2000)
    CurrentLabelPeriod.objects.bulk_create(periods, batch_size=2000)


class Migration(migrations.Migration):

    dependencies = [
        ('benchmarking', '0019_triple_helix_kinds'),
        ('clusters', '0009_history_translation_columns'),
    ]

    operations = [
        migrations.CreateModel(
            name='CurrentLabelPeriod',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('starts_on', models.DateField()),
                ('ends_on', models.DateField()),
                ('status', models.CharField(max_length=10)),
                ('valid_until', models.DateField()),
                ('cluster', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='current_label_periods', to='clusters.cluster')),
                ('label', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='benchmarking.label')),
            ],
            options={
                'indexes': [models.Index(fields=['ends_on', 'starts_on'], name='current_label_period_days')],
                'constraints': [models.UniqueConstraint(fields=('cluster', 'starts_on'), name='one_current_label_period_per_start'), models.CheckConstraint(condition=models.Q(('ends_on__gte', models.F('starts_on'))), name='period_ends_after_start')],
            },
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
