"""Intake's staff pages against the real store, Kafka and dev issuer: scopes, audit,
duplicates, rectification, withdrawal and contacts, as staff use them."""

import html
import re
import uuid
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, quote_plus
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from entraide.contracts import new_event, parse_event
from entraide.contracts.events import MatchAccepted, MatchClosed
from entraide.contracts.topics import MATCHES, REQUESTS
from entraide.intake.app import create_app as intake_app
from tests.page_text import text_of
from tests.support import IDENTITY_VALUES, eventually, records, serving

FORM: dict[str, Any] = {
    "parent.first_name": "Amina",
    "parent.last_name": "Diallo",
    "parent.phone": "06 12 34 56 78",
    "parent.email": "amina.diallo@example.org",
    "contact_preferences": ["sms"],
    "children": "2019, 2023",
    "postal_code": "44000",
    "commune": "Nantes",
    "languages": ["fr", "ar"],
    "needs": ["parrainage-de-proximite", "repit-garde-ponctuelle"],
    "availability": ["we-afternoon", "sa-morning"],
    "signs": ["epuisement-declare", "aucun-relais-familial"],
    "notes": "Maman solo depuis mars, très fatiguée.",
    "consent.matching": "oui",
}

PARIS = ZoneInfo("Europe/Paris")


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
    assert found, "the page has no CSRF token"
    return found.group(1)


async def post_form(client: httpx.AsyncClient, page: str, action: str, form: dict[str, Any]):
    token = csrf_of((await client.get(page)).text)
    return await client.post(action, data={**form, "csrf": token})


async def search(client: httpx.AsyncClient, **values: str) -> httpx.Response:
    """A search as the page sends it: a POST with the page's CSRF token, no name in the URL."""
    return await post_form(client, "/familles", "/familles", values)


async def create(client: httpx.AsyncClient, **changes: Any) -> httpx.Response:
    return await post_form(client, "/familles/nouvelle", "/familles/nouvelle", FORM | changes)


@pytest.fixture
async def intake(intake_settings, dev_issuer):
    async with serving(intake_app(dev_issuer.settings_for(intake_settings))) as client:
        yield client


async def test_pages_need_a_signed_in_staff_member(intake) -> None:
    response = await intake.get("/familles/nouvelle")
    assert response.status_code == 303
    assert response.headers["location"] == "/connexion?suivant=%2Ffamilles%2Fnouvelle"


async def test_form_errors_are_french_and_tied_to_their_fields(intake, dev_issuer) -> None:
    await dev_issuer.sign_in(intake, "ppm-nantes")
    bad = FORM | {"parent.phone": "12", "children": "", "needs": [], "consent.matching": ""}
    response = await post_form(intake, "/familles/nouvelle", "/familles/nouvelle", bad)
    assert response.status_code == 422
    html = response.text
    assert "Le formulaire contient 4 erreurs" in html
    assert 'aria-describedby="parent-phone-erreur"' in html
    assert re.search(r'id="parent-phone-erreur"[^>]*>Numéro de téléphone invalide', html)
    assert "Indiquez l&#39;année de naissance d&#39;au moins un enfant." in html
    assert "Choisissez au moins un besoin." in html
    assert "Sans l&#39;accord du parent" in html
    assert 'value="Amina"' in html, "what was typed is shown again"


async def test_a_form_without_its_csrf_token_is_refused(intake, dev_issuer) -> None:
    await dev_issuer.sign_in(intake, "ppm-nantes")
    response = await intake.post("/familles/nouvelle", data=FORM | {"csrf": "0" * 64})
    assert response.status_code == 403


async def test_staff_record_a_family_that_other_associations_cannot_open(
    intake, intake_settings, dev_issuer, mongo
) -> None:
    await dev_issuer.sign_in(intake, "ppm-nantes")
    created = await create(intake)
    assert created.status_code == 303, created.text
    family_url = created.headers["location"].split("?")[0]
    family_id = family_url.rsplit("/", 1)[1]

    record = await intake.get(family_url)
    assert record.status_code == 200
    assert "Amina Diallo" in record.text
    assert "très fatiguée" in record.text
    assert "Urgence élevée" in record.text

    await dev_issuer.sign_in(intake, "afev-lille")
    assert (await intake.get(family_url)).status_code == 404
    assert family_id not in (await intake.get("/familles")).text
    found = await search(intake, nom="diallo", prenom="AMINA")
    assert family_id not in found.text
    assert "1 famille correspondante est suivie par une autre association" in found.text

    await dev_issuer.sign_in(intake, "ppm-paris")  # same association, another territory
    assert (await intake.get(family_url)).status_code == 404

    await dev_issuer.sign_in(intake, "coordination-reseau")
    assert (await intake.get(family_url)).status_code == 200
    journal = await intake.get(f"{family_url}/journal")
    assert journal.status_code == 200

    await dev_issuer.sign_in(intake, "ppm-nantes")
    assert (await intake.get(f"{family_url}/journal")).status_code == 403

    audit = mongo[intake_settings.database]["audit_log"]
    entries = await audit.find({"family_id": family_id}).to_list()
    actions = [(e["actor"], e["action"]) for e in entries]
    reads = [actor for actor, action in actions if action == "family.read"]
    assert len(set(reads)) == len(reads) == 2, "ppm-nantes once, then the network coordinator"
    assert "family.create" in {a for _, a in actions}
    assert not any(v in str(entries) for v in IDENTITY_VALUES)


async def test_a_search_by_name_puts_no_name_in_any_address(intake, dev_issuer) -> None:
    """The search form on /familles, submitted as a browser would (its method, its action,
    redirects followed), finds the family, and no request's URL carries the name, the
    first name, the phone or the e-mail searched for (it was a GET form: they went into
    the browser's history and the access logs)."""
    await dev_issuer.sign_in(intake, "ppm-nantes")
    values = {"nom": "Walkthrough", "prenom": "Maëlle", "telephone": "06 11 22 33 44"}
    created = await create(
        intake,
        **{
            "parent.last_name": values["nom"],
            "parent.first_name": values["prenom"],
            "parent.phone": values["telephone"],
        },
    )
    assert created.status_code == 303, created.text
    family_id = created.headers["location"].split("?")[0].rsplit("/", 1)[1]

    page = (await intake.get("/familles")).text
    form = re.search(r'<form ([^>]*role="search"[^>]*)>(.*?)</form>', page, re.S)
    assert form, "the page has no search form"
    method = re.search(r'method="(\w+)"', form.group(1))
    action = re.search(r'action="([^"]*)"', form.group(1))
    method_name = method.group(1).upper() if method else "GET"
    hidden = dict(re.findall(r'type="hidden" name="([^"]+)" value="([^"]*)"', form.group(2)))
    fields = hidden | {"nom": values["nom"], "prenom": values["prenom"], "telephone": ""}
    fields |= {"email": ""}
    target = action.group(1) if action else "/familles"
    sent: list[httpx.URL] = []

    async def note(request: httpx.Request) -> None:
        sent.append(request.url)

    intake.event_hooks["request"].append(note)
    try:
        if method_name == "POST":
            answer = await intake.post(target, data=fields, follow_redirects=True)
        else:
            answer = await intake.get(target, params=fields, follow_redirects=True)
    finally:
        intake.event_hooks["request"].remove(note)
    assert answer.status_code == 200, answer.text
    assert f'href="/familles/{family_id}"' in answer.text, "the family is found"
    urls = [*sent, *(r.url for r in answer.history), answer.url]
    for url in urls:
        address = str(url)
        for value in values.values():
            for form_of in (value, quote(value), quote_plus(value), quote(value.lower())):
                assert form_of.lower() not in address.lower(), f"{value!r} in {address}"
    assert 'value="Walkthrough"' in answer.text, "what was searched is shown again"
    assert 'value="Maëlle"' in answer.text


async def test_the_record_names_a_request_by_its_date_and_a_short_reference(
    intake, intake_settings, dev_issuer, mongo
) -> None:
    """What staff read out on the phone: the request's date and a short reference (its
    id's first 8 characters, in two groups), not the 32-hex id nor « version N »."""
    await dev_issuer.sign_in(intake, "ppm-nantes")
    created = await create(intake)
    family_url = created.headers["location"].split("?")[0]
    family = await mongo[intake_settings.database]["families"].find_one(
        {"_id": family_url.rsplit("/", 1)[1]}
    )
    request = family["requests"][0]
    request_id = request["request_id"]
    page = (await intake.get(family_url)).text
    read = text_of(page)
    assert request_id not in read, "the whole id is shown"
    assert not re.search(rf">[^<]*{request_id}", page), "the whole id is shown"
    assert not re.search(r"\bversion \d", read)
    day = request["submitted_at"].replace(tzinfo=UTC).astimezone(PARIS).strftime("%d/%m/%Y")
    short = f"{request_id[:4]} {request_id[4:8]}"
    shown = re.search(r"Demande reçue le (\S+) · référence <code[^>]*>([^<]+)</code>", page)
    assert shown, "no date and reference for the request"
    assert shown.groups() == (day, short)


async def test_the_record_reads_a_phone_typed_without_spaces_in_pairs(intake, dev_issuer) -> None:
    """« 0611223399 » as typed at the desk reads « 06 11 22 33 99 », as staff say it."""
    await dev_issuer.sign_in(intake, "ppm-nantes")
    created = await create(intake, **{"parent.phone": "0611223399"})
    read = text_of((await intake.get(created.headers["location"].split("?")[0])).text)
    assert "06 11 22 33 99" in read
    assert "0611223399" not in read


async def test_the_list_tells_families_apart_by_their_childrens_birth_years(
    intake, dev_issuer
) -> None:
    """The recent families and a search's results show each family's children's birth
    years in its row, eldest first (the store's list read them from a key the documents
    never had: « — » on every row)."""
    await dev_issuer.sign_in(intake, "ppm-nantes")
    created = await create(intake, children="2021, 2017")
    assert created.status_code == 303, created.text
    family_id = created.headers["location"].split("?")[0].rsplit("/", 1)[1]
    recent = (await intake.get("/familles")).text
    found = (await search(intake, nom="Diallo", prenom="Amina")).text
    for page in (recent, found):
        rows = re.findall(r"<tr>(.*?)</tr>", page, re.S)
        [row] = [r for r in rows if f'href="/familles/{family_id}"' in r]
        assert '<td data-label="Enfants nés en">2017, 2021</td>' in row
        assert "—" not in row
        # the moment it was recorded: the line may break after the day, never in the hour
        moment = r"\d\d/\d\d/\d{4} à\u00a0\d{1,2}\u00a0h\u00a0\d\d"
        assert re.search(rf'<td data-label="Enregistrée le">{moment}</td>', row)


async def test_a_possible_duplicate_is_flagged_not_merged(intake, dev_issuer, mongo) -> None:
    await dev_issuer.sign_in(intake, "ppm-nantes")
    first = await create(intake)
    assert first.status_code == 303
    again = await create(intake, **{"parent.first_name": "Amína", "parent.phone": ""})
    assert again.status_code == 409
    assert "Cette famille est peut-être déjà connue" in again.text
    first_url = first.headers["location"].split("?")[0]
    assert first_url in again.text
    # the same family: her record takes the new request (one record, one support path)
    assert f'href="{first_url}/demandes/nouvelle"' in again.text

    confirmed = await create(intake, doublon_verifie="oui")
    assert confirmed.status_code == 303
    second_url = confirmed.headers["location"].split("?")[0]
    assert second_url != first.headers["location"].split("?")[0]
    assert "Doublon possible" in (await intake.get(second_url)).text


async def test_rectify_withdraw_and_contact_each_publish_their_event(
    intake, intake_settings, dev_issuer, mongo
) -> None:
    await dev_issuer.sign_in(intake, "ppm-nantes")
    created = await create(intake)
    family_url = created.headers["location"].split("?")[0]
    family = await mongo[intake_settings.database]["families"].find_one(
        {"_id": family_url.rsplit("/", 1)[1]}
    )
    request_id = family["requests"][0]["request_id"]
    edit = f"{family_url}/demandes/{request_id}/modifier"

    invalid = await post_form(intake, edit, edit, FORM | {"postal_code": "4400"})
    assert invalid.status_code == 422
    assert "Code postal invalide" in invalid.text
    fixed = await post_form(
        intake, edit, edit, FORM | {"needs": ["ecoute"], "signs": ["situation-de-crise"]}
    )
    assert fixed.status_code == 303, fixed.text

    contact = await post_form(
        intake, family_url, f"{family_url}/contacts", {"canal": "phone", "note": "Rappelée"}
    )
    assert contact.status_code == 303
    withdrawn = await post_form(
        intake,
        family_url,
        f"{family_url}/demandes/{request_id}/retrait",
        {"motif": "family-choice"},
    )
    assert withdrawn.status_code == 303
    page = (await intake.get(family_url)).text
    assert "Retirée" in page
    assert "Rappelée" in page
    assert (await post_form(intake, family_url, edit, FORM)).status_code in (404, 409)

    key = family["family_ref"].encode()

    async def published():
        found = await records(intake_settings.kafka_bootstrap, REQUESTS.name, key=key)
        # at least once: a change written while the relay publishes may go twice (same id)
        distinct = list({e.id: e for e in (parse_event(r.value) for r in found)}.values())
        return (found, distinct) if len(distinct) >= 4 else None

    found, events = await eventually(published, what="the four events of the family")
    assert [e.type.split(".")[3] for e in events] == [
        "submitted",
        "updated",
        "contact-logged",
        "withdrawn",
    ]
    updated = events[1].data
    assert updated.revision == 2
    assert updated.urgency == "critical"
    assert updated.needs == ["ecoute"]
    assert events[3].data.revision == 3
    assert not any(v.encode() in r.value for r in found for v in (*IDENTITY_VALUES, "Rappelée"))


async def test_a_withdrawal_without_a_reason_shows_the_record_again(
    intake, intake_settings, dev_issuer, mongo
) -> None:
    """It gave a page of its own, « Motif manquant » with a link back, and the record was
    lost. Now the record again (422), the error beside that request's reason, nothing
    withdrawn; the list starts on no reason, and a reason chosen still withdraws."""
    await dev_issuer.sign_in(intake, "ppm-nantes")
    family_url = (await create(intake)).headers["location"].split("?")[0]
    families = mongo[intake_settings.database]["families"]
    family_id = family_url.rsplit("/", 1)[1]
    request_id = (await families.find_one({"_id": family_id}))["requests"][0]["request_id"]
    field, withdraw = f"motif-{request_id}", f"{family_url}/demandes/{request_id}/retrait"

    record = (await intake.get(family_url)).text
    reasons = re.search(rf'<select[^>]*id="{field}"[^>]*>(.*?)</select>', record, re.DOTALL)
    assert reasons, "no reason list"
    assert re.search(r"\brequired\b", reasons.group(0).split(">")[0])
    assert re.match(r'\s*<option value=""', reasons.group(1)), "the list starts on no reason"
    assert not re.search(r'<option value="[^"]+"[^>]*\bselected', reasons.group(1))

    for data in ({}, {"motif": ""}, {"motif": "n-importe-quoi"}, {"motif": "erasure"}):
        answer = await post_form(intake, family_url, withdraw, data)
        assert answer.status_code == 422, data
        page = answer.text
        assert "<h1>Fiche famille</h1>" in page  # the record, not an error page
        assert '<dd id="nom-parent">Amina Diallo</dd>' in page
        error = re.search(rf'<p id="{field}-erreur" class="fr-error-text">([^<]*)</p>', page)
        assert error, "no error beside the reason"
        assert error.group(1) == "Motif du retrait : choisissez-le dans la liste."
        assert f'aria-describedby="{field}-erreur"' in page
        assert "Le formulaire contient 1 erreur" in page
        assert f'href="#{field}"' in page  # the summary leads to the field
        assert "Motif manquant" not in page
    kept = (await families.find_one({"_id": family_id}))["requests"][0]
    assert kept["status"] == "submitted"  # nothing withdrawn
    assert "withdrawal_reason" not in kept

    withdrawn = await post_form(intake, family_url, withdraw, {"motif": "need-met-elsewhere"})
    assert withdrawn.status_code == 303
    assert withdrawn.headers["location"].startswith(f"{family_url}?resultat=")
    told = html.unescape((await intake.get(withdrawn.headers["location"])).text)
    assert "La demande est retirée : elle ne sera plus proposée." in told
    gone = (await families.find_one({"_id": family_id}))["requests"][0]
    assert (gone["status"], gone["withdrawal_reason"]) == ("withdrawn", "need-met-elsewhere")


async def _family_for_match(intake, intake_settings, mongo, **changes):
    created = await create(intake, **changes)
    family_url = created.headers["location"].split("?")[0]
    family = await mongo[intake_settings.database]["families"].find_one(
        {"_id": family_url.rsplit("/", 1)[1]}
    )
    ids = {
        "match_id": uuid.uuid4().hex,
        "request_id": family["requests"][0]["request_id"],
        "family_ref": family["family_ref"],
        "association_id": "grands-parrains",
    }
    return family_url, family, ids


async def test_an_accepted_match_shares_the_family_until_it_ends(
    intake, intake_settings, dev_issuer, mongo
) -> None:
    await dev_issuer.sign_in(intake, "ppm-nantes")
    family_url, family, ids = await _family_for_match(
        intake, intake_settings, mongo, **{"consent.sharing": "oui"}
    )
    await dev_issuer.sign_in(intake, "coordination-gp")  # Grands Parrains, Loire-Atlantique
    assert (await intake.get(family_url)).status_code == 404

    now = datetime.now(UTC)
    await publish(intake_settings, MatchAccepted(**ids, accepted_at=now), family["family_ref"])
    await eventually(lambda: _status(intake, family_url, 200), what="the family shared")
    assert "Amina Diallo" in (await intake.get(family_url)).text

    closed = MatchClosed(**ids, outcome="completed", closed_at=now)
    await publish(intake_settings, closed, family["family_ref"])
    await eventually(lambda: _status(intake, family_url, 404), what="the sharing ended")
    audit = mongo[intake_settings.database]["audit_log"]

    async def trail():
        found = await audit.find({"family_id": family["_id"], "role": "system"}).to_list()
        actions = [e["action"] for e in sorted(found, key=lambda e: e["at"])]
        return actions if len(actions) >= 2 else None

    assert await eventually(trail, what="the audit log") == ["family.share", "family.unshare"]


async def test_without_consent_to_sharing_only_a_named_permission_opens_the_record(
    intake, intake_settings, dev_issuer, mongo
) -> None:
    await dev_issuer.sign_in(intake, "ppm-nantes")
    family_url, family, ids = await _family_for_match(intake, intake_settings, mongo)
    family_id = family["_id"]
    assert family["consent"]["sharing"] is False
    audit = mongo[intake_settings.database]["audit_log"]

    await publish(
        intake_settings, MatchAccepted(**ids, accepted_at=datetime.now(UTC)), family["family_ref"]
    )
    refused = {"family_id": family_id, "action": "family.share-refused"}
    await eventually(lambda: audit.find_one(refused), what="the sharing refused")
    await dev_issuer.sign_in(intake, "coordination-gp")
    assert (await intake.get(family_url)).status_code == 404

    override = f"/api/v1/families/{family_id}/sharing-overrides"
    body = {"association_id": "grands-parrains", "reason": "child-protection"}
    for account in ("coordination-gp", "ppm-nantes", "dpo"):  # no permission: refused
        bearer = {"Authorization": f"Bearer {await dev_issuer.token_for(account)}"}
        assert (await intake.post(override, json=body, headers=bearer)).status_code == 403
    network = {"Authorization": f"Bearer {await dev_issuer.token_for('coordination-reseau')}"}
    bad = await intake.post(override, json=body | {"reason": "curiosity"}, headers=network)
    assert bad.status_code == 422
    assert (await intake.post(override, json=body, headers=network)).status_code == 201
    assert (await intake.get(family_url)).status_code == 200  # coordination-gp, now

    entry = await audit.find_one({"family_id": family_id, "action": "family.share-override"})
    assert (entry["role"], entry["shared_with"], entry["reason"]) == (
        "network-coordinator",
        "grands-parrains",
        "child-protection",
    )
    assert await audit.count_documents({"action": "family.share-override"}) == 1


async def publish(settings, data, key: str) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    await producer.start()
    try:
        event = new_event(data, source="/entraide/matching", subject=key)
        await producer.send_and_wait(
            MATCHES.name, event.model_dump_json().encode(), key=key.encode()
        )
    finally:
        await producer.stop()


async def _status(client: httpx.AsyncClient, url: str, status: int) -> bool:
    return (await client.get(url)).status_code == status
