from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only REST API: public facts for other systems, data for the secretariat."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "api"
    verbose_name = "REST API"
