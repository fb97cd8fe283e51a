from django.db import models


class StoredFile(models.Model):
    """A file of the site's storage kept in the database (FILE_STORAGE=database): every app server
    reads the same files, and a database backup holds them too. ecei_site.storage.DatabaseStorage
    is its only reader and writer."""

    name = models.CharField(max_length=255, unique=True)
    content = models.BinaryField()
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name
