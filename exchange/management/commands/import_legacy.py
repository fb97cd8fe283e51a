"""Import legacy benchmarkings from a CSV or XLSX file (format: docs/legacy-import.md)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from benchmarking.permissions import is_secretariat
from exchange.legacy_files import LegacyFileError
from exchange.services.legacy_import import legacy_import


class Command(BaseCommand):
    help = (
        "Import legacy benchmarkings from a CSV or XLSX file. Every row is checked like an interview typed "
        "in the forms; nothing is imported while any row has an error. --dry-run only lists the errors."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--dry-run", action="store_true", help="Check the file and list every error; import nothing."
        )
        parser.add_argument(
            "--user", default="", help="Username of the secretariat member the history records as importer."
        )

    def handle(self, *args, file: Path, dry_run: bool, user: str, **options):
        importer = None
        if user:
            importer = get_user_model().objects.filter(username=user).first()
            if importer is None or not is_secretariat(importer):
                raise CommandError(f"{user} is not an active member of the secretariat (staff user).")
        try:
            content = file.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from exc
        try:
            result = legacy_import(content=content, filename=file.name, user=importer, dry_run=dry_run)
        except LegacyFileError as exc:
            raise CommandError(str(exc)) from exc
        for error in result.errors:
            self.stderr.write(f"row {error.row}, column {error.column}, value {error.value!r}: {error.reason}")
        for row, reason in result.skipped:
            self.stdout.write(f"row {row} skipped: {reason}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} error(s) in {result.rows} row(s): nothing was imported.")
        verb = "would be imported (dry run)" if dry_run else "imported"
        skipped = len(result.skipped)
        message = f"{result.created} benchmarking(s) {verb}; {skipped} skipped as imported before."
        self.stdout.write(self.style.SUCCESS(message))
