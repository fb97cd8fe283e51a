"""Compile locale/*/LC_MESSAGES/*.po into .mo with Babel, so that a fresh machine needs no
GNU gettext. Django's `compilemessages` does the same with msgfmt where it is installed."""

import os
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_catalogues(locale_paths=None, force=False) -> list[Path]:
    """Write each .mo older than its .po; return the files written."""
    written = []
    for root in locale_paths or settings.LOCALE_PATHS:
        for po_path in sorted(Path(root).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if not force and mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            # Written beside it, then renamed over it: another process (the test suite's second
            # worker compiles at the same moment) reads the old file or the new one, never one
            # half written, and never takes a truncated .mo for an up-to-date one.
            with tempfile.NamedTemporaryFile("wb", dir=mo_path.parent, suffix=".mo.tmp", delete=False) as mo_file:
                try:
                    write_mo(mo_file, catalog, use_fuzzy=False)
                except BaseException:
                    os.unlink(mo_file.name)
                    raise
            os.chmod(mo_file.name, 0o644)  # as open() would have made it; the temporary file is 0600
            os.replace(mo_file.name, mo_path)
            written.append(mo_path)
    return written


class Command(BaseCommand):
    help = "Compile the translations under LOCALE_PATHS (.po to .mo) with Babel."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Compile even when the .mo is newer.")

    def handle(self, *args, force=False, **options):
        for path in compile_catalogues(force=force):
            self.stdout.write(f"compiled {path}")
