"""One answer per access request: a contact naming two families (a family recorded by staff,
a request at the family door) gets one message, one link; the link opens both copies, in
the request's order, each read in its case's trail; each part's JSON is one case's, and a
link of before (naming one case) still opens. The parts are named in words."""

from functools import partial
from urllib.parse import urlsplit

from entraide.contracts.events import AccessAcknowledged
from entraide.kit.export_seal import seal_for
from entraide.kit.i18n import Catalogs
from entraide.privacy.domain import requests_from_people as rules
from entraide.privacy.domain.cases import CaseKind
from entraide.privacy.entrypoints.http.copies import title
from tests.unit.privacy.test_public_rights import PHONE, _ask, _channel

CATALOGS = Catalogs(["entraide.kit", "entraide.privacy"])
TWO = {PHONE.term: ["fam-ref-0001", "fam-ref-0002"]}


async def _closed(world, case_id: str, ref: str) -> None:
    recipient = world.cases.cases[case_id].recipient_key
    for service in world.services:
        part = {"service": service, "ref": ref} if service == "intake" else {}
        await world.rights.record_ack(
            AccessAcknowledged(
                case_id=case_id, subject_ref=ref, service=service,
                completed_at=world.clock(), sealed_export=seal_for(recipient, case_id, part),
            )
        )  # fmt: skip


async def test_a_contact_naming_two_families_gets_one_link_that_opens_both_copies() -> None:
    world, public, _, _, _, notifier = _channel(TWO)
    asked = await _ask(public, kind=CaseKind.ACCESS)
    proved = await public.prove(asked.request.request_id, notifier.sent[0].context["code"])
    first, second = proved.request.case_ids
    await _closed(world, first, "fam-ref-0001")
    assert await public.deliver() == 0, "not before every case is closed"
    await _closed(world, second, "fam-ref-0002")

    assert await public.deliver() == 1
    (link,) = [n for n in notifier.sent if n.template == "droits-export"]
    assert link.context["parts"] == 2
    token = urlsplit(link.context["link"]).path.rsplit("/", 1)[1]
    copies = await public.copies(token, form="html")
    assert [c["services"]["intake"]["ref"] for c in copies] == ["fam-ref-0001", "fam-ref-0002"]
    read = [e["case_id"] for e in world.audit.entries if e["action"] == "export-read"]
    assert read == [first, second]
    one = await public.export(token, form="json", part=second)
    assert one["services"]["intake"]["ref"] == "fam-ref-0002"
    assert await public.export(token, form="json", part="not-its-case") is None
    # a link sent before, naming one case: still valid, it opens every copy too
    old = rules.link_token(public.key, proved.request.request_id, first, link.context["expires_at"])
    assert len(await public.copies(old, form="html")) == 2
    assert (await public.export(old, form="json"))["case_id"] == first


def test_each_part_is_named_by_its_subject_and_content() -> None:
    door = {"subject_kind": "family", "services": {"intake": {"own_requests": [
        {"submitted_at": "2026-11-28T10:00:00+00:00"}]}}}  # fmt: skip
    family = {"subject_kind": "family",
              "services": {"intake": {"family": {"created_at": "2026-10-02T09:00:00+00:00"}}}}  # fmt: skip
    volunteer = {"subject_kind": "volunteer", "services": {"directory": {"volunteer": {}}}}
    assert title(door, str) == "votre demande faite en ligne le 28/11/2026"
    assert title(family, str) == "votre fiche de famille, enregistrée le 02/10/2026"
    assert title(volunteer, str) == "votre fiche de bénévole"
    assert title({"subject_kind": "family", "services": {}}, str) == (
        "d'autres données enregistrées à votre sujet"
    )


def _family(channel: str, association: str, own: bool) -> dict:
    at = "2026-12-01T09:00:00+00:00"
    intake = {"family": {"created_at": at, "association_id": association,
                         "requests": [{"submitted_at": at, "channel": channel}]}}  # fmt: skip
    if own:
        intake["own_requests"] = [{"submitted_at": "2026-11-30T20:00:00+00:00"}]
    return {"subject_kind": "family", "services": {"intake": intake}}


def test_a_door_request_staff_confirmed_and_a_staff_recorded_family_read_apart() -> None:
    """Both are family records made on the same day: the walker read « votre fiche de
    famille, enregistrée le 01/12/2026 » twice. The door's is named as sent online, the
    staff's by its association (as a sentence says it in French, its name elsewhere)."""
    door = _family("family", "parrains-par-mille", own=True)
    staff = _family("staff-form", "parrains-par-mille", own=False)
    assert title(door, str) == "votre demande faite en ligne le 30/11/2026"
    assert title(staff, str) == "la fiche enregistrée par Parrains Par Mille le 01/12/2026"
    afev = _family("staff-api", "afev", own=True)  # a door request merged into its record
    assert title(afev, str) == "la fiche enregistrée par l'AFEV le 01/12/2026"
    assert title(afev, str, french=False) == "la fiche enregistrée par AFEV le 01/12/2026"
    pt = partial(CATALOGS.gettext_in, "pt")
    assert title(door, pt) != title(staff, pt)
    assert "Parrains Par Mille" in title(staff, pt)
    assert "enregistrée" not in title(staff, pt)
