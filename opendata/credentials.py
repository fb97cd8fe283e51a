"""A label as a verifiable credential: an Open Badges 3.0 OpenBadgeCredential (W3C Verifiable
Credentials data model 1.1, JWT encoding: the `vc` claim), signed with RS256 by the site's key.

The credential states facts at issue (the awarding body, the level, the validity period, the
cluster); whether it holds today is read at verification: the signature against the published
keys (JWKS), the validity period against today, and the label's bit in the revocation status list
(a Bitstring Status List: a suspended or withdrawn label's bit is set). Pure functions of a label
and the keys: the views only serve them.
"""

import base64
import datetime
import gzip
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from benchmarking.models import Label
from opendata import keys

VC_CONTEXT = "https://www.w3.org/2018/credentials/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
STATUS_LIST_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"
# The status list is a bitstring of at least 131,072 entries (16 KiB), so that a set bit does
# not single a label out (Bitstring Status List, "herd privacy"); index = the label's id.
STATUS_LIST_MIN_BITS = 131_072
MAX_CREDENTIAL_CHARS = 20_000  # a pasted or uploaded credential, far above a real one (~3,000)

REVOKED = (Label.Status.SUSPENDED, Label.Status.WITHDRAWN)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def label_url(label: Label) -> str:
    return absolute(reverse("benchmarking:label_public", kwargs={"code": label.code}))


def status_list_url() -> str:
    return absolute(reverse("opendata:status_list"))


def _epoch(day: datetime.date, end: bool = False) -> int:
    moment = datetime.datetime.combine(day, datetime.time.max if end else datetime.time.min, tzinfo=datetime.UTC)
    return int(moment.timestamp())


def credential_claims(label: Label, now: datetime.datetime | None = None) -> dict:
    """The JWT claims of a label's credential: registered claims and the credential itself (`vc`).
    Data, so in English whatever the reader's language (like the exports)."""
    now = now or timezone.now()
    body = label.awarding_body
    issuer = {"id": absolute("/"), "type": ["Profile"], "name": body.name}
    if body.partner:
        issuer["description"] = f"{body.name}, with {body.partner} as operational partner"
    level = Label.Level(label.level).name.title()  # Bronze, Silver, Gold
    cluster = label.cluster
    cluster_url = absolute(cluster.get_absolute_url())
    achievement = {
        "id": absolute(reverse("opendata:achievement", kwargs={"level": label.level})),
        "type": ["Achievement"],
        "achievementType": "Certificate",
        "name": f"ECEI {level} Label: {label.level_name}",
        "description": f"The European Cluster Excellence Initiative's {level} label for cluster management.",
        "criteria": {"narrative": f"Benchmarked on {label.benchmarked_on.isoformat()} ({label.get_source_display()})."},
    }
    vc = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": label_url(label),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": issuer,
        "name": f"ECEI {level} Label {label.code}",
        "issuanceDate": now.isoformat(timespec="seconds"),
        "validFrom": f"{label.valid_from.isoformat()}T00:00:00Z",
        "expirationDate": f"{label.valid_until.isoformat()}T23:59:59Z",
        "credentialSubject": {
            "id": cluster_url,
            "type": ["AchievementSubject"],
            "name": cluster.name,
            "country": cluster.country.code,
            "achievement": achievement,
        },
        "credentialStatus": {
            "id": f"{status_list_url()}#{label.pk}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(label.pk),
            "statusListCredential": status_list_url(),
        },
        "ecei": {
            "code": label.code,
            "level": label.level,
            "awardedOn": label.awarded_on.isoformat(),
            "validFrom": label.valid_from.isoformat(),
            "validUntil": label.valid_until.isoformat(),
            "awardingBody": body.name,
            "operationalPartner": body.partner,
        },
    }
    return {
        "iss": issuer["id"],
        "jti": vc["id"],
        "sub": cluster_url,
        "iat": int(now.timestamp()),
        "nbf": _epoch(label.valid_from),
        "exp": _epoch(label.valid_until, end=True),
        "vc": vc,
    }


def sign(claims: dict) -> str:
    signing = keys.signing_keys().signing
    header = {"alg": keys.ALGORITHM, "typ": "JWT", "kid": signing.kid}
    return jwt.encode(header, claims, signing)


def label_credential(label: Label) -> str:
    """The label's credential as a compact JWT."""
    return sign(credential_claims(label))


# --- The status list ----------------------------------------------------------------------


def revoked_indexes() -> list[int]:
    """The ids of the suspended and withdrawn labels: the bits set in the list (one query)."""
    return list(Label.objects.filter(status__in=REVOKED).values_list("pk", flat=True))


def encoded_bitstring(indexes: list[int]) -> str:
    """The bitstring (bit i from the left of byte i // 8 = entry i), GZIP-compressed, base64url,
    multibase prefix "u" (Bitstring Status List 1.0)."""
    size = max(STATUS_LIST_MIN_BITS, max(indexes, default=0) + 1)
    size = (size + 7) // 8 * 8
    bits = bytearray(size // 8)
    for index in indexes:
        bits[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).decode().rstrip("=")


def bit_is_set(encoded: str, index: int) -> bool:
    data = encoded[1:] if encoded.startswith("u") else encoded
    bits = gzip.decompress(base64.urlsafe_b64decode(data + "=" * (-len(data) % 4)))
    return index // 8 < len(bits) and bool(bits[index // 8] & (0x80 >> (index % 8)))


def status_list_claims(now: datetime.datetime | None = None) -> dict:
    now = now or timezone.now()
    url = status_list_url()
    vc = {
        "@context": [VC_CONTEXT, STATUS_LIST_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": absolute("/"),
        "issuanceDate": now.isoformat(timespec="seconds"),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_bitstring(revoked_indexes()),
        },
    }
    return {"iss": vc["issuer"], "jti": url, "iat": int(now.timestamp()), "vc": vc}


def status_list_credential() -> str:
    return sign(status_list_claims())


# --- Verification -------------------------------------------------------------------------


@dataclass
class Verification:
    """What a pasted credential proves today. `problem` is why it could not be read at all."""

    problem: str = ""
    signature_valid: bool = False
    claims: dict = field(default_factory=dict)
    kid: str = ""
    label: Label | None = None
    revoked: bool = False
    expired: bool = False
    not_yet_valid: bool = False

    @property
    def valid(self) -> bool:
        return self.signature_valid and not (self.revoked or self.expired or self.not_yet_valid)

    @property
    def vc(self) -> dict:
        return self.claims.get("vc", {}) if isinstance(self.claims.get("vc"), dict) else {}

    @property
    def facts(self) -> dict:
        facts = self.vc.get("ecei")
        return facts if isinstance(facts, dict) else {}

    def _day(self, key: str) -> datetime.date | None:
        try:
            return datetime.date.fromisoformat(self.facts.get(key, ""))
        except (TypeError, ValueError):
            return None

    @property
    def valid_from(self) -> datetime.date | None:
        return self._day("validFrom")

    @property
    def valid_until(self) -> datetime.date | None:
        return self._day("validUntil")

    @property
    def level_name(self) -> str:
        level = self.facts.get("level")
        return Label.Level(level).label if level in Label.Level.values else ""


BAD_FORMAT = "format"
BAD_SIGNATURE = "signature"
TOO_LONG = "too_long"


def verify(text: str, today: datetime.date | None = None) -> Verification:
    """Check a compact JWT credential: signature by one of our keys, then status and dates today."""
    today = today or timezone.localdate()
    token = "".join((text or "").split())
    if len(token) > MAX_CREDENTIAL_CHARS:
        return Verification(problem=TOO_LONG)
    if token.count(".") != 2:
        return Verification(problem=BAD_FORMAT)
    known: KeySet = keys.signing_keys().all
    try:
        decoded = jwt.decode(token, known, algorithms=[keys.ALGORITHM])
    except (JoseError, ValueError, TypeError, KeyError, UnicodeDecodeError):
        return Verification(problem=_why_not(token))
    claims = decoded.claims
    result = Verification(signature_valid=True, claims=claims, kid=decoded.header.get("kid", ""))
    status = result.vc.get("credentialStatus") or {}
    index = status.get("statusListIndex") if isinstance(status, dict) else None
    if not (isinstance(index, str) and index.isdigit()):
        return Verification(problem=BAD_FORMAT)
    result.label = Label.objects.select_related("cluster").filter(pk=int(index)).first()
    result.revoked = result.label is None or result.label.status in REVOKED
    not_before, expires = claims.get("nbf"), claims.get("exp")
    now = _epoch(today)
    result.expired = isinstance(expires, int) and expires < now
    result.not_yet_valid = isinstance(not_before, int) and not_before > _epoch(today, end=True)
    return result


def _why_not(token: str) -> str:
    """A token that does not decode (BAD_FORMAT), or one whose signature fails (BAD_SIGNATURE)."""
    try:
        header_part = token.split(".")[0]
        header = json.loads(base64.urlsafe_b64decode(header_part + "=" * (-len(header_part) % 4)))
    except (ValueError, UnicodeDecodeError):
        return BAD_FORMAT
    return BAD_SIGNATURE if isinstance(header, dict) and header.get("alg") else BAD_FORMAT
