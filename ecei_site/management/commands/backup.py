from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from ecei_site.backups import BackupError, backup_create, backup_location, backups_prune


class Command(BaseCommand):
    help = "Write a consistent, dated copy of the database (safe while the site is in use)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, help="Where to write it (default: the backups' storage, BACKUP_DIR).")
        parser.add_argument("--keep", type=int, help="Then delete all but the KEEP newest backups there.")

    def handle(self, *args, **options):
        if options["keep"] is not None and options["keep"] < 1:
            raise CommandError("--keep must be at least 1: it counts the backup just made.")
        try:
            storage, name = backup_create(directory=options["dir"])
            pruned = backups_prune(keep=options["keep"], directory=options["dir"]) if options["keep"] else []
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"Backup written: {backup_location(storage, name)} ({storage.size(name):,} bytes)")
        for old in pruned:
            self.stdout.write(f"Deleted old backup: {old}")
