"""Make the key file that signs the labels' credentials, or rotate its keys.

    manage.py credential_keys /etc/ecei/credential-keys.json            # a new file with one key
    manage.py credential_keys /etc/ecei/credential-keys.json --rotate   # a new signing key first;
                                                                         # the former keys stay, verify-only

Then set ECEI_CREDENTIAL_KEYS_FILE to the file's path. The file holds a private key: it is
written readable by its owner only, and never belongs in the repository.
"""

import json
import os
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from opendata import keys


class Command(BaseCommand):
    help = "Write a new credential key file, or rotate the signing key of one (old keys stay, verify-only)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--rotate", action="store_true", help="Put a new signing key before the file's keys.")
        parser.add_argument("--kid", default=None, help="The new key's id (default: ecei-<timestamp>).")

    def handle(self, *args, file, rotate, kid, **options):
        path = Path(file)
        if path.exists() and not rotate:
            raise CommandError(f"{path} exists: use --rotate to add a new signing key to it.")
        if rotate and not path.exists():
            raise CommandError(f"{path} does not exist: run without --rotate to make it.")
        former = json.loads(path.read_text()) if rotate else None
        document = keys.rotated(former)
        if kid:
            document["keys"][0]["kid"] = kid
        temporary = path.with_suffix(path.suffix + ".new")
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(document, handle, indent=2)
        os.replace(temporary, path)
        self.stdout.write(f"{path}: signing key {document['keys'][0]['kid']}, {len(document['keys'])} key(s) in all.")
