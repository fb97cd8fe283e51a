from django.apps import AppConfig


class BenchmarkingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "benchmarking"
    verbose_name = "Benchmarking"
