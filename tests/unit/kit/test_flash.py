"""A page says what a form did only if its service signed it for whoever views it."""

import base64
import hashlib
import hmac
from urllib.parse import parse_qsl, urlencode

import pytest

from entraide.kit.flash import FIELD, seal, unseal
from entraide.kit.opaque import unpack

SECRET = b"the service's session secret"
DONE = {"fait": "retire", "nom": "Atelier parents — « 2 » ✓"}


def test_what_the_service_sealed_for_a_viewer_opens_for_them_as_it_was() -> None:
    token = seal(SECRET, "s1", DONE)
    query = urlencode({FIELD: token})  # through the redirect's address and back
    assert unseal(SECRET, "s1", dict(parse_qsl(query))[FIELD]) == DONE


@pytest.mark.parametrize(
    "token",
    [
        "",
        "retire",
        "fait=retire&nom=Appelez le 01 23 45 67 89",
        base64.urlsafe_b64encode(b'{"erreur":"Appelez le 01 23 45 67 89"}').decode(),
        base64.urlsafe_b64encode(b'{"erreur":"Appelez le 01 23 45 67 89"}').decode() + ".00",
        ".",
        "..",
    ],
)
def test_a_crafted_query_says_nothing(token: str) -> None:
    assert unseal(SECRET, "s1", token) == {}


def test_a_sealed_outcome_says_nothing_to_someone_else_or_under_another_secret() -> None:
    token = seal(SECRET, "s1", DONE)
    assert unseal(SECRET, "s2", token) == {}  # a real outcome's link sent to a colleague
    assert unseal(b"another service's secret", "s1", token) == {}


def test_an_altered_outcome_says_nothing() -> None:
    payload, _, mac = seal(SECRET, "s1", DONE).partition(".")
    other, _, _ = seal(SECRET, "s1", {"erreur": "Appelez le 01 23 45 67 89"}).partition(".")
    assert unseal(SECRET, "s1", f"{other}.{mac}") == {}
    assert unseal(SECRET, "s1", f"{payload}.{mac[:-1]}") == {}


def test_a_signed_payload_that_is_not_an_outcome_says_nothing() -> None:
    # the service only ever seals mappings of text; the reader does not rely on it
    for text in (b"[1, 2]", b'{"fait": 3}', b"\xff"):
        payload = base64.urlsafe_b64encode(text).rstrip(b"=").decode()
        message = b"flash\0s1\0" + payload.encode()
        mac = hmac.new(SECRET, message, hashlib.sha256).hexdigest()
        assert unseal(SECRET, "s1", f"{payload}.{mac}") == {}


@pytest.mark.parametrize(
    "token", ["Ω.Ω", "retire.é", "é.0a", "2¾\x041à.ff", "\udcff.00", "a\x00.\x00"]
)
def test_a_query_of_any_characters_says_nothing_and_never_raises(token: str) -> None:
    # what a browser, a proxy or a fuzzer sends in `resultat=`: the page opens, unsaid
    assert unseal(SECRET, "s1", token) == {}


def test_an_outcome_reads_as_the_kit_s_opaque_text_signed_not_encrypted() -> None:
    # whoever sees the address reads the outcome: it is signed, not encrypted
    payload, _, _ = seal(SECRET, "s1", DONE).partition(".")
    assert unpack(payload) == DONE
