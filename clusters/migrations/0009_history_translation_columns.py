"""Every language's text in the catalogue's histories (ecei_site.translated.translated_history)."""

from django.db import migrations, models

# The history kept no language columns before this migration (they were added to the models
# after their histories were built). Each object's latest history row describes the object as
# it is now, so it receives the object's current texts; older rows stay empty (not recorded).
LANGUAGES = ("en", "es", "de")
MODELS = ("ComparativePortfolio",)


def fill_latest_rows(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("clusters", name)
        history = apps.get_model("clusters", f"Historical{name}")
        columns = [
            f.name for f in history._meta.local_fields
            if f.name.rsplit("_", 1)[-1] in LANGUAGES and f.name.rsplit("_", 1)[0] in {g.name for g in model._meta.fields}
        ]  # fmt: skip
        for values in model.objects.values("pk", *columns).iterator():
            latest = history.objects.filter(id=values.pop("pk")).order_by("-history_date", "-history_id").first()
            if latest is not None:
                history.objects.filter(pk=latest.pk).update(**values)


class Migration(migrations.Migration):
    dependencies = [
        ("clusters", "0008_eligibility_facts"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalcomparativeportfolio",
            name="name_de",
            field=models.CharField(max_length=100, null=True),
        ),
        migrations.AddField(
            model_name="historicalcomparativeportfolio",
            name="name_en",
            field=models.CharField(max_length=100, null=True),
        ),
        migrations.AddField(
            model_name="historicalcomparativeportfolio",
            name="name_es",
            field=models.CharField(max_length=100, null=True),
        ),
        migrations.RunPython(fill_latest_rows, migrations.RunPython.noop),
    ]
