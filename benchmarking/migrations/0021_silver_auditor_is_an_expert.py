import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    """The Silver auditor becomes an expert of the system (a foreign key); the names typed for
    earlier audits are kept as auditor_name, as Gold assessments keep their assessors' names."""

    dependencies = [
        ("benchmarking", "0020_current_label_periods"),
    ]

    operations = [
        migrations.RenameField(model_name="silveraudit", old_name="auditor", new_name="auditor_name"),
        migrations.RenameField(model_name="historicalsilveraudit", old_name="auditor", new_name="auditor_name"),
        migrations.AlterField(
            model_name="silveraudit", name="auditor_name", field=models.CharField(blank=True, max_length=200)
        ),
        migrations.AlterField(
            model_name="historicalsilveraudit", name="auditor_name", field=models.CharField(blank=True, max_length=200)
        ),
        migrations.AddField(
            model_name="silveraudit",
            name="auditor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="silver_audits",
                to="benchmarking.expert",
            ),
        ),
        migrations.AddField(
            model_name="historicalsilveraudit",
            name="auditor",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="benchmarking.expert",
            ),
        ),
    ]
