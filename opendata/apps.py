from django.apps import AppConfig


class OpendataConfig(AppConfig):
    """The public database as open data: statistics, the dataset, badges and signed credentials."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "opendata"
    verbose_name = "Open data"
