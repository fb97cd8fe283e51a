from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ecei_site.backups import BackupError, backup_check, backup_create, backup_location, backup_restore, local_backup


class Command(BaseCommand):
    help = "Replace the whole database with a backup made by `manage.py backup`. Stop the site first."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup: a file, or a backup's name in the backups' storage.")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")
        parser.add_argument(
            "--no-safety-backup", action="store_true", help="Do not back up the current database first."
        )

    def handle(self, *args, file, interactive, no_safety_backup, **options):
        try:
            with local_backup(file) as path:
                backup_check(path)  # refuse a wrong or damaged file before asking or saving anything
            if interactive and input(
                f"This replaces every row of the database with {file.name}. Type 'yes' to go on: "
            ) != "yes":
                raise CommandError("Restore cancelled; nothing changed.")
            if not no_safety_backup:
                storage, safety = backup_create(label="before-restore")
                self.stdout.write(f"The current database was saved first: {backup_location(storage, safety)}")
            backup_restore(file)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Restored {file.name}. Run `manage.py migrate` if it predates an update.")
        )
