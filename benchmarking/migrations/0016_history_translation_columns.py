"""Every language's text in the catalogue's histories (ecei_site.translated.translated_history)."""

from django.db import migrations, models

# The history kept no language columns before this migration (they were added to the models
# after their histories were built). Each object's latest history row describes the object as
# it is now, so it receives the object's current texts; older rows stay empty (not recorded).
LANGUAGES = ("en", "es", "de")
MODELS = (
    "BaselineRequirement",
    "BaselineRequirementSet",
    "Catalogue",
    "Category",
    "EligibilityCriterion",
    "GoldIndicator",
    "GoldIndicatorSet",
    "Indicator",
    "RecommendationRule",
)


def fill_latest_rows(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("benchmarking", name)
        history = apps.get_model("benchmarking", f"Historical{name}")
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
        ("benchmarking", "0015_peer_group_outside"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalbaselinerequirement",
            name="evidence_de",
            field=models.TextField(blank=True, help_text="What the auditor looks at to check it.", null=True),
        ),
        migrations.AddField(
            model_name="historicalbaselinerequirement",
            name="evidence_en",
            field=models.TextField(blank=True, help_text="What the auditor looks at to check it.", null=True),
        ),
        migrations.AddField(
            model_name="historicalbaselinerequirement",
            name="evidence_es",
            field=models.TextField(blank=True, help_text="What the auditor looks at to check it.", null=True),
        ),
        migrations.AddField(
            model_name="historicalbaselinerequirement",
            name="text_de",
            field=models.CharField(max_length=300, null=True),
        ),
        migrations.AddField(
            model_name="historicalbaselinerequirement",
            name="text_en",
            field=models.CharField(max_length=300, null=True),
        ),
        migrations.AddField(
            model_name="historicalbaselinerequirement",
            name="text_es",
            field=models.CharField(max_length=300, null=True),
        ),
        migrations.AddField(
            model_name="historicalbaselinerequirementset",
            name="title_de",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalbaselinerequirementset",
            name="title_en",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalbaselinerequirementset",
            name="title_es",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalcatalogue",
            name="title_de",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalcatalogue",
            name="title_en",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalcatalogue",
            name="title_es",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalcategory",
            name="title_de",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalcategory",
            name="title_en",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalcategory",
            name="title_es",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicaleligibilitycriterion",
            name="name_de",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicaleligibilitycriterion",
            name="name_en",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicaleligibilitycriterion",
            name="name_es",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalgoldindicator",
            name="area_de",
            field=models.CharField(help_text="The group the indicator belongs to.", max_length=100, null=True),
        ),
        migrations.AddField(
            model_name="historicalgoldindicator",
            name="area_en",
            field=models.CharField(help_text="The group the indicator belongs to.", max_length=100, null=True),
        ),
        migrations.AddField(
            model_name="historicalgoldindicator",
            name="area_es",
            field=models.CharField(help_text="The group the indicator belongs to.", max_length=100, null=True),
        ),
        migrations.AddField(
            model_name="historicalgoldindicator",
            name="wording_de",
            field=models.CharField(max_length=300, null=True),
        ),
        migrations.AddField(
            model_name="historicalgoldindicator",
            name="wording_en",
            field=models.CharField(max_length=300, null=True),
        ),
        migrations.AddField(
            model_name="historicalgoldindicator",
            name="wording_es",
            field=models.CharField(max_length=300, null=True),
        ),
        migrations.AddField(
            model_name="historicalgoldindicatorset",
            name="title_de",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalgoldindicatorset",
            name="title_en",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalgoldindicatorset",
            name="title_es",
            field=models.CharField(max_length=200, null=True),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="help_text_de",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="help_text_en",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="help_text_es",
            field=models.TextField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="option_labels_de",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The options as shown to readers, in the order of the options. Empty: the options themselves.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="option_labels_en",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The options as shown to readers, in the order of the options. Empty: the options themselves.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="option_labels_es",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The options as shown to readers, in the order of the options. Empty: the options themselves.",
                null=True,
            ),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="unit_de",
            field=models.CharField(blank=True, max_length=30, null=True),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="unit_en",
            field=models.CharField(blank=True, max_length=30, null=True),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="unit_es",
            field=models.CharField(blank=True, max_length=30, null=True),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="wording_de",
            field=models.CharField(max_length=300, null=True),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="wording_en",
            field=models.CharField(max_length=300, null=True),
        ),
        migrations.AddField(
            model_name="historicalindicator",
            name="wording_es",
            field=models.CharField(max_length=300, null=True),
        ),
        migrations.AddField(
            model_name="historicalrecommendationrule",
            name="text_de",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="historicalrecommendationrule",
            name="text_en",
            field=models.TextField(null=True),
        ),
        migrations.AddField(
            model_name="historicalrecommendationrule",
            name="text_es",
            field=models.TextField(null=True),
        ),
        migrations.RunPython(fill_latest_rows, migrations.RunPython.noop),
    ]
