"""A label's signed credential: it verifies, a tampered one does not, a suspended label's is
revoked, and one signed with a key rotated out still verifies."""

import base64
import datetime
import json

import pytest
from django.core.management import call_command
from joserfc import jwt

from benchmarking.services import labels as label_services
from opendata import credentials, keys


def _claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def test_a_credential_verifies(labels):
    token = credentials.label_credential(labels["gold"])
    result = credentials.verify(token)
    assert result.signature_valid and result.valid
    assert not result.revoked and not result.expired
    assert result.facts["code"] == "DEU002202301G"
    assert result.facts["level"] == "gold"
    assert result.label == labels["gold"]


def test_it_has_the_open_badges_shape(labels):
    claims = _claims(credentials.label_credential(labels["gold"]))
    vc = claims["vc"]
    assert vc["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert credentials.OB_CONTEXT in vc["@context"]
    assert vc["issuer"]["name"] in ("EUCLES", "ESCA")
    assert vc["credentialSubject"]["name"] == "Gold Cluster"
    assert vc["credentialSubject"]["achievement"]["name"].startswith("ECEI Gold Label")
    assert vc["expirationDate"].startswith(labels["gold"].valid_until.isoformat())
    assert vc["credentialStatus"]["type"] == "BitstringStatusListEntry"
    assert claims["exp"] > claims["nbf"]


def test_a_tampered_credential_does_not_verify(labels):
    header, payload, signature = credentials.label_credential(labels["bronze"]).split(".")
    claims = _claims(f"{header}.{payload}.{signature}")
    claims["vc"]["ecei"]["level"] = "gold"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    result = credentials.verify(f"{header}.{forged}.{signature}")
    assert result.problem == credentials.BAD_SIGNATURE
    assert not result.valid


def test_a_credential_signed_by_another_key_does_not_verify(labels):
    stranger = keys.new_key("stranger")
    token = jwt.encode({"alg": "RS256", "kid": "stranger"}, credentials.credential_claims(labels["bronze"]), stranger)
    assert credentials.verify(token).problem == credentials.BAD_SIGNATURE


def test_a_suspended_labels_credential_is_revoked(labels, staff_user):
    token = credentials.label_credential(labels["bronze"])
    label_services.label_suspend(label=labels["bronze"], reason="Audit pending.", user=staff_user)
    result = credentials.verify(token)
    assert result.signature_valid and result.revoked and not result.valid
    status_list = _claims(credentials.status_list_credential())["vc"]["credentialSubject"]
    assert credentials.bit_is_set(status_list["encodedList"], labels["bronze"].pk)
    assert not credentials.bit_is_set(status_list["encodedList"], labels["gold"].pk)


def test_a_withdrawn_label_is_revoked_and_a_reinstated_one_is_not(labels, staff_user):
    token = credentials.label_credential(labels["gold"])
    label_services.label_suspend(label=labels["gold"], reason="Check.", user=staff_user)
    assert credentials.verify(token).revoked
    label_services.label_reinstate(label=labels["gold"], reason="Checked.", user=staff_user)
    assert credentials.verify(token).valid
    label_services.label_withdraw(label=labels["gold"], reason="Misuse.", user=staff_user)
    assert credentials.verify(token).revoked


def test_an_expired_labels_credential_is_expired(labels):
    result = credentials.verify(credentials.label_credential(labels["expired"]))
    assert result.signature_valid and result.expired and not result.valid


def test_a_credential_is_not_valid_before_its_period(labels):
    token = credentials.label_credential(labels["bronze"])
    result = credentials.verify(token, today=datetime.date(2021, 1, 1))
    assert result.not_yet_valid and not result.valid


@pytest.mark.parametrize(
    "text",
    ["", "garbage", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.e30.AAAA", "x" * 30_000, "....", "é.é.é", "eyJ9.eyJ9.eyJ9"],
)
def test_garbage_is_refused_with_a_reason(labels, text):
    result = credentials.verify(text)
    assert result.problem in (credentials.BAD_FORMAT, credentials.BAD_SIGNATURE, credentials.TOO_LONG)
    assert not result.valid


def test_a_credential_signed_with_a_rotated_out_key_still_verifies(labels, settings, tmp_path):
    key_file = tmp_path / "keys.json"
    call_command("credential_keys", str(key_file), verbosity=0)
    settings.ECEI_CREDENTIAL_KEYS_FILE = str(key_file)
    old_kid = keys.signing_keys().signing.kid
    old_token = credentials.label_credential(labels["gold"])

    call_command("credential_keys", str(key_file), "--rotate", "--kid", "next", verbosity=0)
    rotated = keys.signing_keys()
    assert rotated.signing.kid == "next"
    published = {key["kid"]: key for key in rotated.public_jwks()["keys"]}
    assert set(published) == {"next", old_kid}
    assert all("d" not in key for key in published.values())  # only public parts are published
    stored = json.loads(key_file.read_text())["keys"]
    assert "d" in stored[0] and "d" not in stored[1]  # the old key is verify-only

    result = credentials.verify(old_token)
    assert result.valid and result.kid == old_kid
    assert credentials.verify(credentials.label_credential(labels["gold"])).kid == "next"


def test_production_without_a_key_file_signs_nothing(labels, settings):
    settings.ECEI_CREDENTIAL_EPHEMERAL_KEY = False
    settings.DEBUG = False
    with pytest.raises(keys.KeysMissing):
        credentials.label_credential(labels["gold"])
