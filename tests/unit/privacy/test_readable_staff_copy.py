"""The copy of a family recorded by staff (`ppm-nantes` on the staff form), with a contact
they logged on a past day (a date only) and a match, as the services export it: a walker
read in it the account and the name of the staff member who logged the contact, the
channel's code `staff-form`, matching's `logged at` with « 13 h 00 » nobody typed (a day
stored at noon UTC), the contact's medium as « Enregistrée par », « Version 1 » and the
phone as typed; in Portuguese « Registado por a família »."""

import json
from functools import partial
from typing import Any

import pytest

from entraide.kit.i18n import Catalogs, locale_for
from entraide.privacy.entrypoints.http import readable_others as others
from entraide.privacy.entrypoints.http.readable import FIELDS, Reader, document, readable

CATALOGS = Catalogs(["entraide.kit", "entraide.privacy"])
FRENCH = Reader()
ACCOUNT, NAME = "dev-7d4ca97323a35487", "Julien (PPM)"
FAMILY_REF, MATCH = "cTttTQvvEpdVTqzgbskXvA", "5c0ffee0a1b2c3d4e5f60718293a4b5c"
REQUEST = "394a8e28592e4530a0c798557c11512e"
DAY_TYPED = "2026-11-30T12:00:00+00:00"  # intake's page: a past day typed, stored at noon UTC
INTAKE = {
    "family": {
        "family_ref": FAMILY_REF, "association_id": "parrains-par-mille",
        "departement": "44",
        "identity": {"parent": {"first_name": "Amina", "last_name": "Diallo",
                                "phone": "0611223399", "email": "amina@example.org"}},
        "children_birth_years": [2019], "postal_code": "44000", "languages": ["fr"],
        "consent": {"matching": True, "sharing": True, "collected_by": NAME,
                    "collected_at": "2026-11-29T18:04:00+00:00"},
        "created_at": "2026-11-29T18:04:00+00:00", "last_contact_at": DAY_TYPED,
        "requests": [{"request_id": REQUEST, "status": "submitted", "revision": 1,
                      "needs": ["parrainage-de-proximite"], "availability": [],
                      "signs": [], "urgency": "medium", "notes": "",
                      "association_id": "parrains-par-mille", "channel": "staff-form",
                      "submitted_at": "2026-11-29T18:04:00+00:00", "recorded_by": ACCOUNT,
                      "updated_at": None, "withdrawn_at": None,
                      "withdrawal_reason": None}],
        "contacts": [{"at": DAY_TYPED, "channel": "phone", "by": ACCOUNT, "by_name": NAME,
                      "note": "Appelée, d'accord pour un parrainage."}],
        "possible_duplicates": 0, "shared_with": [],
        "orientation": [{"event_id": "e191b7dc-83a6-4b8e-9a41-0c2d3e4f5a6b",
                         "request_id": REQUEST, "state": "proposed",
                         "at": "2026-12-01T08:15:27.123456+00:00", "match_id": MATCH,
                         "association_id": "parrains-par-mille", "reason": None,
                         "outcome": None, "support": "volunteer"}],
        "rectifications": [], "written_language": None,
    },
    "record_reads": [{"at": "2026-11-29T18:05:00+00:00", "actor": ACCOUNT, "actor_name": NAME,
                      "role": "staff", "association_id": "parrains-par-mille",
                      "action": "family.contact", "family_id": "11e13281e1654404a580b16f",
                      "via": "page"}],
}  # fmt: skip
MATCHING = {
    "contacts": [{"_id": FAMILY_REF, "logged_at": DAY_TYPED, "family_ref": FAMILY_REF}],
    "matches": [{"_id": MATCH, "request_id": REQUEST, "family_ref": FAMILY_REF,
                 "support_key": "volunteer:8r5e39JqxI-bq5r0ub0ZhA",
                 "association_id": "parrains-par-mille", "departement": "44",
                 "needs": ["parrainage-de-proximite"], "urgency": "medium",
                 "state": "proposed", "score": 0.82, "proposed_by": ACCOUNT,
                 "proposed_at": "2026-12-01T08:15:27.123456+00:00",
                 "expires_at": "2026-12-08T08:15:27.123456+00:00", "check_ins": []}],
    "requests": [{"_id": REQUEST, "family_ref": FAMILY_REF, "revision": 1,
                  "status": "open", "departement": "44", "urgency": "medium"}],
}  # fmt: skip
EXPORT = {"generated_at": "2026-12-01T09:00:00+00:00",
          "services": {"intake": INTAKE, "matching": MATCHING}}  # fmt: skip


def reader(code: str) -> Reader:
    return Reader(partial(CATALOGS.gettext_in, code), locale_for(code))


def _keys(part: Any) -> set[str]:
    if isinstance(part, dict):
        return set(part) | {key for value in part.values() for key in _keys(value)}
    if isinstance(part, list):
        return {key for value in part for key in _keys(value)}
    return set()


def _text(part: Any) -> str:
    if isinstance(part, dict):
        return " ".join(f"{k} : {_text(v)}" for k, v in part.items())
    if isinstance(part, list):
        return " ".join(_text(v) for v in part)
    return str(part)


@pytest.mark.parametrize("code", ["fr", "pt"])
def test_a_staff_recorded_familys_copy_names_no_staff_code_or_key(code: str) -> None:
    words = FRENCH if code == "fr" else reader(code)
    shown = document(EXPORT, words)["services"]
    text = _text(shown)

    for unsaid in (ACCOUNT, "Julien", "PPM", "staff-form", "13 h 00", "13:00", "Version",
                   "Versão", "0611223399", "logged", " por a "):  # fmt: skip
        assert unsaid not in text, unsaid
    labels = {words.translate(label) for label in FIELDS.values()}
    assert _keys(list(shown.values())) - labels == set(), "a key shown without a label in words"


def test_the_copy_says_the_contact_the_channel_and_the_phone_in_words() -> None:
    shown = document(EXPORT)["services"]
    family = shown["intake"]["Fiche de la famille"]
    assert family["Identité"]["Parent"]["Téléphone"] == "06 11 22 33 99"
    (contact,) = family["Contacts"]
    assert contact == {
        "Le": "30/11/2026", "Moyen de contact": "téléphone",
        "Compte": "un compte de l'équipe de l'association",
        "Note": "Appelée, d'accord pour un parrainage.",
    }  # fmt: skip
    (request,) = family["Demandes"]
    assert request["Origine de la demande"] == "l'équipe de l'association (formulaire)"
    assert family["Dernier contact"] == "30/11/2026"
    assert shown["matching"]["Contacts"] == [
        {"Dernier contact noté le": "30/11/2026",
         "Référence de la famille": shown["matching"]["Contacts"][0]["Référence de la famille"]}
    ]  # fmt: skip
    (match,) = shown["matching"]["Mises en relation"]
    assert match["Origine de la proposition"] == "un compte de l'équipe de l'association"
    portuguese = document(EXPORT, reader("pt"))["services"]["intake"]["Ficha da família"]
    assert portuguese["Pedidos"][0]["Origem do pedido"] == "a equipa da associação (formulário)"
    assert portuguese["Contactos"][0]["Meio de contacto"] == "telefone"


def test_who_did_it_when_no_staff_member_did_and_phones_not_french() -> None:
    """matching's engine proposed (`online`), the person's objection withdrew her consent
    (intake's `privacy:<case>`); a French number in pairs however typed, one abroad as is."""
    part = {"proposed_by": "online", "consent": {"collected_by": "privacy:4f1c2a9e"}}
    assert readable(part) == {
        "Origine de la proposition": "le calcul immédiat",
        "Accord du parent": {
            "Qui l'a recueilli": "le délégué à la protection des données, à votre demande"
        },
    }
    phones = ["+33611223399", "06.11.22.33.99", "+32 470 12 34 56"]
    assert readable({"phone": phones}) == {
        "Téléphone": ["+33 6 11 22 33 99", "06 11 22 33 99", "+32 470 12 34 56"]
    }


def test_a_moment_at_noon_utc_keeps_its_time_unless_its_field_is_a_day() -> None:
    """A real event at noon UTC (a message sent, a request received) is no typed day: the
    copy guessed one from « 12:00:00 » and dropped its time; the days are known by key."""
    noon, midnight = "2026-11-30T12:00:00+00:00", "2026-11-30T00:00:00+00:00"
    assert readable({"submitted_at": noon}) == {"Demande du": FRENCH.when(noon)}
    assert FRENCH.when(noon).endswith("13\u00a0h\u00a000")
    assert readable({"created_at": midnight}) == {"Enregistrée le": FRENCH.when(midnight)}
    assert readable({"last_contact_at": noon}) == {"Dernier contact": "30/11/2026"}
    contact = {"day": "2026-11-30", "noted_at": "2026-12-01T08:15:00+00:00"}
    assert readable({"contacts": [contact]}) == {
        "Contacts": [
            {"Le": "30/11/2026", "Noté dans la fiche le": FRENCH.when(contact["noted_at"])}
        ]
    }


def test_her_json_file_keeps_the_codes_but_names_no_staff_member_nor_account() -> None:
    """The JSON she downloads held `"collected_by": "Julien (PPM)"`, `by_name`, `actor`
    and `actor_name`: other people's data. Hers says what the page says; the export the
    officer reads is left as held."""
    hers = others.without_staff(EXPORT, str)
    text = json.dumps(hers, ensure_ascii=False)
    for unsaid in (ACCOUNT, NAME, "actor_name", "by_name"):
        assert unsaid not in text, unsaid
    (read,) = hers["services"]["intake"]["record_reads"]
    assert read["actor"] == "un compte de l'équipe de l'association"
    assert hers["services"]["intake"]["family"]["consent"]["collected_by"] == read["actor"]
    assert hers["services"]["matching"]["matches"][0]["proposed_by"] == read["actor"]
    assert '"channel": "staff-form"' in text  # codes stay codes: a machine reads the file
    assert EXPORT["services"]["intake"]["record_reads"][0]["actor_name"] == NAME
    portuguese = partial(CATALOGS.gettext_in, "pt")
    assert others.without_staff({"by": ACCOUNT}, portuguese) == {
        "by": "uma conta da equipa da associação"
    }
