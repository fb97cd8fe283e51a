"""Reports' documents as PostgreSQL's json instead of jsonb (ecei_site.json_text.JSONDocumentField).

Only PostgreSQL's column type changes. SQLite stores both as text with the same check, so its
table is not rebuilt (Django's AlterField would copy every report to change nothing there).
"""

from django.db import migrations

import ecei_site.json_text

COLUMNS = ("snapshot", "translations")


def column_type(kind):
    def alter(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for column in COLUMNS:
            schema_editor.execute(
                f'ALTER TABLE "benchmarking_report" ALTER COLUMN "{column}" TYPE {kind} USING "{column}"::{kind}'
            )

    return alter


class Migration(migrations.Migration):
    dependencies = [
        ("benchmarking", "0026_peer_catalogue_members"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[migrations.RunPython(column_type("json"), column_type("jsonb"))],
            state_operations=[
                migrations.AlterField(
                    model_name="report",
                    name="snapshot",
                    field=ecei_site.json_text.JSONDocumentField(
                        encoder=ecei_site.json_text.JSONTextEncoder,
                        help_text="Groups, statistics and recommendations as issued (in English).",
                    ),
                ),
                migrations.AlterField(
                    model_name="report",
                    name="translations",
                    field=ecei_site.json_text.JSONDocumentField(
                        blank=True,
                        default=dict,
                        encoder=ecei_site.json_text.JSONTextEncoder,
                        help_text='The snapshot in each other language, e.g. {"de": {...}}.',
                    ),
                ),
            ],
        ),
    ]
