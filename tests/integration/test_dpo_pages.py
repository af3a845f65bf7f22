"""The DPO's pages say what the store holds, in French: the case list counts the
acknowledgements (a closed case: "5 / 5"), the journal has one French sentence per stored
entry (the actor as a label, no field names, no reprs, no account ids), the retention
page counts the registry's subjects and those the sweep would erase.

Privacy alone on the real broker and store; the four other services' acknowledgements
go through its use case, as its consumer hands them over."""

import re
from datetime import UTC, datetime, timedelta

from entraide.contracts.events import ErasureAcknowledged
from entraide.kit.deps import lookup
from entraide.kit.formats import count, number
from entraide.privacy.app import create_app as privacy_app
from entraide.privacy.domain.retention import add_years
from entraide.privacy.usecases.cases import Rights
from tests.integration.test_staff_pages import csrf_of
from tests.page_text import rows_of, text_of
from tests.support import eventually, serving

NOW = datetime.now(UTC).replace(microsecond=0)
SUBJECTS = [  # (ref, kind, last contact, département)
    ("fam-dpo-page-0001", "family", NOW - timedelta(days=3), "44"),
    ("fam-dpo-page-0002", "family", NOW - timedelta(days=40), "75"),
    ("fam-dpo-page-0003", "family", add_years(NOW, -3) - timedelta(days=2), "58"),  # expired
    ("vol-dpo-page-0001", "volunteer", NOW - timedelta(days=9), "93"),
]
COUNTS = {
    "intake": {"families": 1, "requests": 2, "contacts": 0, "keys": 1},
    "directory": {},
    "matching": {"requests": 1, "matches": 1},
    "observatory": {},
}
WORDS = ("kind", "reason", "counts", "erasure", "keys_destroyed", "rights-request", "None")


async def test_the_case_list_journal_and_sweep_say_what_the_store_holds(
    privacy_settings, dev_issuer, mongo
) -> None:
    app = privacy_app(privacy_settings)
    db = mongo[privacy_settings.database]
    await db["subjects"].insert_many(
        [
            {"_id": ref, "kind": kind, "last_contact_at": last, "first_seen_at": last}
            | {"departement": dep, "contact_channels": ["sms"]}
            for ref, kind, last, dep in SUBJECTS
        ]
    )
    async with serving(app) as privacy:
        await dev_issuer.sign_in(privacy, "dpo")
        listing = await privacy.get("/dossiers")
        form = {"kind": "erasure", "subject_kind": "family", "subject_ref": SUBJECTS[0][0]}
        opened = await privacy.post("/dossiers", data=form | {"csrf": csrf_of(listing.text)})
        assert opened.status_code == 303, opened.text
        case_id = opened.headers["location"].rsplit("/", 1)[1]
        rights = lookup(app, Rights)
        for service, counts in COUNTS.items():
            await rights.record_ack(
                ErasureAcknowledged(
                    case_id=case_id,
                    subject_ref=SUBJECTS[0][0],
                    service=service,
                    completed_at=datetime.now(UTC),
                    counts=counts,
                )
            )

        async def closed() -> bool:  # privacy answers its own command through Kafka
            return (
                await db["audit"].count_documents({"case_id": case_id, "action": "case-closed"})
                == 1
            )

        await eventually(closed, timeout=60, what="the case closed")
        listing = await privacy.get("/dossiers")
        case_page = await privacy.get(f"/dossiers/{case_id}")
        retention, registered = await _retention_page(privacy, db)

    stored = await db["cases"].find_one({"_id": case_id})
    trail = await db["audit"].find({"case_id": case_id}).sort("at", 1).to_list()

    # the case list: the closed case's acknowledgements, as stored; its intro counts the
    # services a case waits for as the settings name them (it said « les quatre »)
    row = next(r for r in rows_of(listing.text) if r[-1:] and r[-1].startswith("Ouvrir le"))
    assert len(stored["acks"]) == len(stored["services"]) == 5
    assert row[5] == "5 / 5", row
    intro = text_of(listing.text)
    assert len(privacy_settings.rights_services) == 5
    assert "envoyés aux 5 services du réseau (Annuaire, Accueil des familles, " in intro
    assert "le dossier se clôt quand tous ont répondu" in intro
    assert "quatre" not in intro
    assert row[3] == "Clos"
    assert re.fullmatch(r"\d{2}/\d{2}/\d{4}", row[0]), row

    # the journal: one sentence per stored entry, in order, with the actor as a label
    journal = rows_of(case_page.text, "entree-journal")
    assert len(journal) == len(trail) >= 6
    by_action = {e["action"]: row for e, row in zip(trail, journal, strict=True)}
    assert by_action["case-opened"][1:] == [
        "Délégué à la protection des données",
        "Dossier ouvert (effacement), à la demande de la personne.",
    ]
    acks = [row for e, row in zip(trail, journal, strict=True) if e["action"] == "ack-received"]
    assert [
        "Accueil des familles",
        "Accueil des familles a répondu : effacé (1 fiche de famille, 2 demandes, "
        "aucun contact noté, 1 clé de chiffrement).",
    ] in [a[1:] for a in acks]
    assert ["Annuaire", "Annuaire a répondu : rien à effacer."] in [a[1:] for a in acks]
    closing = next(e for e in trail if e["action"] == "case-closed")
    assert by_action["case-closed"][1] == "Protection des données (automatique)"
    assert by_action["case-closed"][2] == (
        "Dossier clos ; la clé de chiffrement de la personne est détruite."
        if closing["keys_destroyed"]
        else "Dossier clos ; aucune clé restante à détruire."
    )
    text = text_of(case_page.text)
    assert not [w for w in WORDS if re.search(rf"\b{w}\b", text)], text
    assert not re.search(r"[{}]|dev-[0-9a-f]{6}|\d{4}-\d{2}-\d{2}", text), text
    assert "Réponses des services (5 sur 5" in text

    # the retention page: the registry as stored, and what a sweep would erase
    assert registered["all"] >= len(SUBJECTS) - 1  # the erased one is gone
    assert f"Personnes inscrites au registre : {shown(registered['all'])} (" in retention
    assert f"{shown(registered['family'])} familles" in retention
    expired = await db["subjects"].count_documents(
        {"kind": "family", "last_contact_at": {"$lte": add_years(datetime.now(UTC), -3)}}
    )
    assert expired >= 1
    families = " ".join(count(expired, "famille").split())
    assert re.search(rf"Personnes à effacer : [\d ]+ \({families}[,)]", retention), retention


def shown(n: int) -> str:
    """A count as the page's text reads (thousands apart, spaces folded)."""
    return " ".join(number(n).split())


async def _retention_page(privacy, db) -> tuple[str, dict[str, int]]:
    """The retention page's text and the registry's counts at the same moment (privacy's
    consumers may still be adding other tests' subjects: read until both sides agree)."""
    seen: dict[str, object] = {}

    async def steady() -> bool:
        before = await db["subjects"].count_documents({})
        page = text_of((await privacy.get("/conservation")).text)
        families = await db["subjects"].count_documents({"kind": "family"})
        after = await db["subjects"].count_documents({})
        seen.update(page=page, counts={"all": after, "family": families})
        return before == after

    await eventually(steady, timeout=60, what="a steady registry")
    return seen["page"], seen["counts"]  # type: ignore[return-value]
