"""« À confirmer » as staff use it, on the real store: refusing a family's own request
takes a reason chosen on purpose, and a confirmation says which family and where it went."""

import html
import re

import httpx

from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from tests.integration.test_family_door import form
from tests.support import serving


async def _queued(intake: httpx.AsyncClient, door: FamilyDoor, dev_issuer) -> tuple[str, str, str]:
    """A family's request sent on the door, and the queue as ppm-nantes staff see it:
    (page, the request's id in the queue, the form's csrf token)."""
    sent = await intake.post("/demander-aide", data=form(door))
    assert sent.status_code == 200, sent.text
    await dev_issuer.sign_in(intake, "ppm-nantes")
    page = (await intake.get("/a-confirmer")).text
    self_id = re.search(r'action="/a-confirmer/([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    return page, self_id, csrf


async def test_a_refusal_takes_a_reason_chosen_on_purpose(
    intake_settings, mongo, dev_issuer
) -> None:
    """The reason was preselected (« Personne injoignable… »): one click on « Refuser la
    demande » refused the request and made its data unreadable. Now the list starts empty
    and the server refuses a refusal without a reason, the page shown again."""
    app = intake_app(intake_settings)
    db = mongo[intake_settings.database]
    async with serving(app) as intake:
        page, self_id, csrf = await _queued(intake, lookup(app, FamilyDoor), dev_issuer)
        reasons = re.search(
            rf'<select[^>]*id="raison-{self_id}"[^>]*>(.*?)</select>', page, re.DOTALL
        )
        assert reasons, "no reason list"
        first = re.search(r"<option([^>]*)>([^<]*)</option>", reasons.group(1))
        assert first, "no option"
        assert 'value=""' in first.group(1)
        assert html.unescape(first.group(2)) == "— Choisir le motif —"
        assert "required" in reasons.group(0)

        for data in ({}, {"reason": ""}, {"reason": "n-importe-quoi"}):
            answer = await intake.post(
                f"/a-confirmer/{self_id}", data={"csrf": csrf, "action": "refuser"} | data
            )
            assert answer.status_code == 422, data
            shown = html.unescape(answer.text)
            assert f'id="raison-{self_id}-erreur"' in shown
            assert "Motif du refus : choisissez-le dans la liste" in shown
            assert f'href="#raison-{self_id}"' in shown  # the error summary leads to it
            assert "Awa Traoré" in shown  # the request is still there to decide
        [kept] = await db["self_requests"].find({}).to_list()
        assert kept["stage"] == "pending"

        refused = await intake.post(
            f"/a-confirmer/{self_id}",
            data={"csrf": csrf, "action": "refuser", "reason": "not-a-request"},
        )
        assert refused.status_code == 303
        assert refused.headers["location"].startswith("/a-confirmer?resultat=")
        told = _said((await intake.get(refused.headers["location"])).text)
        assert "Demande refusée : ses données ne sont plus lisibles." in told
        [decided] = await db["self_requests"].find({}).to_list()
        assert decided["stage"] == "refused"


async def test_a_confirmation_says_which_family_and_links_to_its_record(
    intake_settings, mongo, dev_issuer
) -> None:
    """« Demande confirmée : elle part vers l'orientation. » named neither the family nor
    where it went. Now the message gives the request's short reference (the one on the
    family's record) and a link to that record, after a confirmation as after a join."""
    app = intake_app(intake_settings)
    db = mongo[intake_settings.database]
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        _, self_id, csrf = await _queued(intake, door, dev_issuer)
        confirmed = await intake.post(
            f"/a-confirmer/{self_id}",
            data={"csrf": csrf, "action": "confirmer"},
            follow_redirects=True,
        )
        assert confirmed.status_code == 200
        [family] = await db["families"].find({}).to_list()
        request_id = family["requests"][0]["request_id"]
        said = _said(confirmed.text)
        assert f"{request_id[:4]} {request_id[4:8]}" in said
        assert f'href="/familles/{family["_id"]}"' in said
        assert "Awa" not in str(confirmed.url)  # the address names no one
        record = await intake.get(f"/familles/{family['_id']}")
        assert f"{request_id[:4]} {request_id[4:8]}" in record.text  # the same reference

        # the same parent again: joined to the family now known
        intake.cookies.clear()
        page, again, csrf = await _queued(intake, door, dev_issuer)
        assert f'<option value="{family["_id"]}">' in page
        joined = await intake.post(
            f"/a-confirmer/{again}",
            data={"csrf": csrf, "action": "rattacher", "family_id": family["_id"]},
            follow_redirects=True,
        )
        assert joined.status_code == 200
        [family] = await db["families"].find({}).to_list()
        second = family["requests"][1]["request_id"]
        said = _said(joined.text)
        assert "rattachée" in said
        assert f"{second[:4]} {second[4:8]}" in said
        assert f'href="/familles/{family["_id"]}"' in said


async def test_staff_note_the_signs_they_heard_as_they_confirm(
    intake_settings, mongo, dev_issuer
) -> None:
    """The request was confirmed with no sign, so at the lowest urgency: the page offers
    the signs of staff's own form, and the record and the event keep those ticked."""
    app = intake_app(intake_settings)
    db = mongo[intake_settings.database]
    async with serving(app) as intake:
        page, self_id, csrf = await _queued(intake, lookup(app, FamilyDoor), dev_issuer)
        assert f'id="signes-{self_id}-situation-de-crise"' in page
        confirmed = await intake.post(
            f"/a-confirmer/{self_id}",
            data={
                "csrf": csrf,
                "action": "confirmer",
                f"signes-{self_id}": ["epuisement-declare", "aucun-relais-familial"],
            },
        )
        assert confirmed.status_code == 303, confirmed.text
        [family] = await db["families"].find({}).to_list()
        assert sorted(family["requests"][0]["signs"]) == [
            "aucun-relais-familial",
            "epuisement-declare",
        ]
        assert family["requests"][0]["urgency"] == "high"


def _said(page: str) -> str:
    """The message shown after a decision."""
    found = re.search(r'<div class="fr-alert fr-alert--success[^>]*>(.*?)</div>', page, re.DOTALL)
    assert found, "no message after the decision"
    return html.unescape(found.group(1))
