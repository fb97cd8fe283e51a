"""The keys that sign the labels' credentials and the status list.

They come from a file named by settings.ECEI_CREDENTIAL_KEYS_FILE (environment variable of the
same name), never from the repository: a JSON Web Key Set of RSA keys. The first key that has its
private part signs; every key of the file is published in the JWKS (public parts only), so that a
credential signed with a key rotated out (kept in the file without its private part: verify-only)
still verifies. `manage.py credential_keys FILE` writes a new file or rotates the keys of one.

Without a file, a development site or a test signs with an ephemeral key made once per process
(credentials then verify only until the process ends); a production site (DEBUG off) signs nothing
and says so (KeysMissing).
"""

import json
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from joserfc.jwk import KeySet, RSAKey

ALGORITHM = "RS256"  # the algorithm Open Badges 3.0 requires every verifier to support
KEY_SIZE = 2048


class KeysMissing(Exception):
    """No signing key is configured (production without ECEI_CREDENTIAL_KEYS_FILE)."""


@dataclass(frozen=True)
class Keys:
    signing: RSAKey
    all: KeySet  # every key, the signing one first; verify with it

    def public_jwks(self) -> dict:
        return {"keys": [{**key.as_dict(private=False), "alg": ALGORITHM, "use": "sig"} for key in self.all.keys]}


_lock = threading.Lock()
_loaded: dict = {}


def new_key(kid: str | None = None) -> RSAKey:
    kid = kid or timezone.now().strftime("ecei-%Y%m%d%H%M%S")
    return RSAKey.generate_key(KEY_SIZE, parameters={"kid": kid, "alg": ALGORITHM, "use": "sig"})


def keys_from_jwks(data: dict) -> Keys:
    """The keys of a JWKS document; the first with a private part signs."""
    key_set = KeySet.import_key_set(data)
    signing = next((key for key in key_set.keys if key.is_private), None)
    if signing is None:
        raise KeysMissing("The credential key file holds no private key to sign with.")
    return Keys(signing=signing, all=key_set)


def signing_keys() -> Keys:
    """The configured keys (read again when the file changes), or the process's ephemeral key."""
    path = settings.ECEI_CREDENTIAL_KEYS_FILE
    if path:
        stamp = Path(path).stat().st_mtime_ns
        with _lock:
            cached = _loaded.get(path)
            if cached is None or cached[0] != stamp:
                cached = (stamp, keys_from_jwks(json.loads(Path(path).read_text())))
                _loaded[path] = cached
        return cached[1]
    if not settings.DEBUG and not getattr(settings, "ECEI_CREDENTIAL_EPHEMERAL_KEY", False):
        raise KeysMissing("ECEI_CREDENTIAL_KEYS_FILE is not set.")
    with _lock:
        if "ephemeral" not in _loaded:
            key = new_key("ephemeral")
            _loaded["ephemeral"] = Keys(signing=key, all=KeySet([key]))
        return _loaded["ephemeral"]


def rotated(data: dict | None) -> dict:
    """A key file's JWKS with a new signing key first; the former keys stay, verify-only (public part)."""
    former = [] if data is None else KeySet.import_key_set(data).keys
    key = new_key()
    return {"keys": [key.as_dict(private=True)] + [old.as_dict(private=False) for old in former]}
