"""The DPO's access copy said false things (walk 3): a network coordinator's consultation
read « Compte : un compte de l'équipe de l'association · Rôle : Coordination du réseau »;
matching's part read « Dernier suivi 01/12/2026 » beside « Suivis notés : rien » (the day
was the match's last contact: its start); and « Disponibilités : rien », « Signes
observés : rien » where the staff's record says « non précisées » and « aucun »."""

from typing import Any

import pytest

from entraide.privacy.entrypoints.http import readable_others as others
from entraide.privacy.entrypoints.http.readable import document, readable
from tests.unit.privacy.test_readable_staff_copy import reader

AT = "2026-12-01T11:35:00+00:00"


def _read(role: str, association: str | None) -> dict[str, Any]:
    return {
        "at": AT, "actor": "dev-0a1b2c3d4e5f6071", "actor_name": "Claire (réseau)",
        "role": role, "association_id": association, "action": "family.read", "via": "page",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("role", "association", "who"),
    [
        ("network-coordinator", None, "un compte de la coordination du réseau"),
        ("dpo", None, "le délégué à la protection des données du réseau"),
        ("coordinator", "parrains-par-mille", "un compte de la coordination de l'association"),
        ("staff", "parrains-par-mille", "un compte de l'équipe de l'association"),
    ],
)
def test_a_consultation_says_whose_account_it_was_by_its_role(
    role: str, association: str | None, who: str
) -> None:
    (shown,) = readable({"record_reads": [_read(role, association)]})["Consultations de la fiche"]
    assert shown["Compte"] == who
    hers = others.without_staff({"record_reads": [_read(role, association)]}, str)
    assert hers["record_reads"][0]["actor"] == who


def test_a_network_coordinators_consultation_in_portuguese() -> None:
    intake = {"record_reads": [_read("network-coordinator", None)]}
    export = {"generated_at": AT, "services": {"intake": intake}}
    (shown,) = document(export, reader("pt"))["services"]["intake"]["Consultas da ficha"]
    assert "associação" not in str(shown), shown


def test_matchings_last_contact_is_not_a_follow_up_noted() -> None:
    followups = {"match_contact_at": AT, "check_ins": [], "started_at": AT}
    shown = readable(followups)
    assert "Dernier suivi" not in shown
    assert shown["Dernier contact de la mise en relation (acceptation, début ou suivi noté)"] == (
        "01/12/2026"
    )
    assert shown["Suivis notés"] == "aucun"


def test_empty_lists_read_as_the_staffs_record_says_them() -> None:
    request = {"availability": [], "signs": [], "needs": ["repit-garde-ponctuelle"]}
    assert readable(request) == {
        "Disponibilités": "non précisées",
        "Signes observés": "aucun",
        "Besoins": ["Répit, garde ponctuelle"],
    }
