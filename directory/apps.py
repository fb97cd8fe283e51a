from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    """The cluster directory: the public database of benchmarked clusters and the admin of their
    records. It reads labels and writes through benchmarking's services, so it stands above both
    benchmarking and clusters, which import nothing of it (tests/test_architecture.py)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "directory"
    verbose_name = "Cluster directory"
