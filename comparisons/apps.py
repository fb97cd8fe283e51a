from django.apps import AppConfig


class ComparisonsConfig(AppConfig):
    """A cluster's own comparison groups, chosen by its managers (issue 28; docs/comparisons.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "comparisons"
    verbose_name = "Comparisons"
