from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Data in and out: the codebook, the analysis export and the legacy import (issue 12)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "exchange"
    verbose_name = "Data exchange"
