"""A volunteer's own space on the real store and broker: the link by e-mail (the kit's
notifier, through a real SMTP server: aiosmtpd), the session of their own, the
status in plain words, pause and resume announced on the volunteers topic, what they offer.
And the seam: matching, reading that topic, stops proposing a paused volunteer and proposes
them again once they come back."""

import html
import json
import re

import pytest

from entraide.directory.adapters.volunteers.store import VolunteerStore
from entraide.directory.adapters.volunteers.supports import VolunteerSupports
from entraide.directory.app import create_app as directory_app
from entraide.directory.entrypoints.http.volunteers.space import COOKIE
from entraide.directory.usecases.ports import SupportMove
from entraide.kit.auth import SESSION_COOKIE
from entraide.kit.deps import lookup
from entraide.matching.adapters.matches import MatchStore
from entraide.matching.adapters.volunteers import VolunteerViews
from entraide.matching.app import create_app as matching_app
from tests.integration.directory_matches import proposal
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_volunteer_to_family import APPLICATION, review
from tests.matching_support import feed, request
from tests.smtp_server import running_smtp_server
from tests.support import eventually, records, serving

EMAIL = APPLICATION["courriel"]


@pytest.fixture
def mailbox():
    with running_smtp_server() as box:
        yield box


@pytest.fixture
def space_settings(directory_settings, mailbox):  # noqa: F811
    """Directory sending its mails to the test's SMTP server."""
    return directory_settings.model_copy(update={"smtp_port": mailbox.port})


async def link_in(mailbox, sent_before: int) -> str:
    """The link of the latest mail to the volunteer (sent after the page answered)."""

    async def arrived():
        return len(mailbox.to(EMAIL)) > sent_before

    await eventually(arrived, what="the mail with the link")
    body = mailbox.to(EMAIL)[-1].get_content()
    return re.search(r"(https?://\S+jeton=\S+)", body).group(1)


async def signed_in(mailbox, client) -> str:
    """Ask for the link as the volunteer does, follow it: the space's page."""
    client.cookies.clear()
    before = len(mailbox.to(EMAIL))
    sent = await client.post("/espace-benevole/lien", data={"courriel": EMAIL.upper()})
    assert sent.status_code == 200
    link = await link_in(mailbox, before)
    path, token = link.split("://", 1)[1].split("/", 1)[1], link.split("jeton=")[1]
    page = await client.get(f"/{path}")
    assert page.status_code == 200
    assert "Ouvrir mon espace" in page.text
    opened = await client.post("/espace-benevole/connexion", data={"jeton": token})
    assert opened.status_code == 303, opened.text
    assert COOKIE in client.cookies
    assert SESSION_COOKIE not in client.cookies
    again = await client.post("/espace-benevole/connexion", data={"jeton": token})
    assert again.status_code == 400
    assert "plus valable" in html.unescape(again.text)
    return token


def csrf(page: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


async def test_a_volunteer_signs_in_by_link_sees_their_status_pauses_and_comes_back(
    space_settings, mailbox, dev_issuer
):
    app = directory_app(space_settings)
    async with serving(app) as client:
        assert (await client.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        assert EMAIL not in json.dumps(stored, default=str)
        applied = len(mailbox.messages)  # the application received: told

        door = await client.get("/espace-benevole")
        assert "Recevoir mon lien de connexion" in door.text
        known = await client.post("/espace-benevole/lien", data={"courriel": EMAIL})
        unknown = await client.post("/espace-benevole/lien", data={"courriel": "x@example.org"})
        assert known.status_code == unknown.status_code == 200
        assert known.text == unknown.text  # nothing tells a known address from another
        await link_in(mailbox, applied)
        assert len(mailbox.messages) == applied + 1  # to the known address only
        assert (
            mailbox.messages[-1]["Subject"] == "Votre lien pour entrer dans votre espace bénévole"
        )
        bad = await client.post("/espace-benevole/lien", data={"courriel": "pas-une-adresse"})
        assert bad.status_code == 422
        assert "adresse électronique" in html.unescape(bad.text)

        await signed_in(mailbox, client)
        space = html.unescape((await client.get("/espace-benevole")).text)
        assert "Reçue" in space
        assert "Parrains Par Mille" in space
        assert "Faire une pause" not in space  # not a volunteer yet
        refused = await client.post("/espace-benevole/pause", data={"csrf": csrf(space)})
        assert refused.status_code == 409
        forged = await client.post("/espace-benevole/pause", data={"csrf": "x"})
        assert forged.status_code == 403

        client.cookies.clear()  # the association reviews, signed in as its staff
        await dev_issuer.sign_in(client, "ppm-nantes")
        await review(client, stored["_id"], statut="in-review", honorabilite="cleared")
        # the staff's session opens no volunteer's space: the door again
        assert "Recevoir mon lien" in (await client.get("/espace-benevole")).text
        await signed_in(mailbox, client)
        space = html.unescape((await client.get("/espace-benevole")).text)
        assert "En cours d'examen" in space
        client.cookies.clear()
        await dev_issuer.sign_in(client, "ppm-nantes")
        await review(client, stored["_id"], statut="approved")
        # one word for it: the e-mail's, the association's page's and the space's
        told = [m["Subject"] for m in mailbox.to(EMAIL)]
        assert told[-1] == "Votre candidature de bénévole : acceptée"
        staff_page = html.unescape((await client.get("/association")).text)
        assert "Candidature acceptée — attestation" in staff_page

        await signed_in(mailbox, client)
        space = html.unescape((await client.get("/espace-benevole")).text)
        badge = re.search(r'<span class="fr-badge[^>]*>([^<]+)</span>', space)
        assert badge.group(1) == "Acceptée"
        assert 'style="text-transform: none"' in badge.group(0)  # no capitals
        paused = await client.post("/espace-benevole/pause", data={"csrf": csrf(space)})
        assert paused.status_code == 303
        space = html.unescape((await client.get(paused.headers["location"])).text)
        assert "En pause" in space
        assert "Reprendre" in space
        changed = await client.post(
            "/espace-benevole/offre",
            data={
                "csrf": csrf(space),
                "slots": ["mo-evening"],
                "langues": ["fr", "en"],
                "savoir_faire": ["aide-aux-devoirs", "inventé"],
            },
        )
        assert changed.status_code == 303
        back = await client.post("/espace-benevole/reprise", data={"csrf": csrf(space)})
        assert back.status_code == 303

        ref = stored["volunteer_ref"].encode()
        seen = await records(
            space_settings.kafka_bootstrap,
            space_settings.volunteers_topic,
            key=ref,
            at_least=4,
        )
        states = [json.loads(r.value)["data"] for r in seen]
        assert [s["active"] for s in states] == [True, False, False, True]
        assert states[-1]["availability"] == [{"day": "mo", "part": "evening"}]
        assert states[-1]["languages"] == ["fr", "en"]
        assert states[-1]["skills"] == ["aide-aux-devoirs"]  # matching's score reads them
        assert EMAIL.encode() not in b"".join(r.value for r in seen)
        stored = await lookup(app, VolunteerStore).by_ref(stored["volunteer_ref"])
        assert stored["skills"] == ["aide-aux-devoirs"]  # not a word of the list: left out

        empty = await client.post("/espace-benevole/offre", data={"csrf": csrf(space)})
        assert empty.status_code == 422
        assert "Choisissez au moins un moment" in html.unescape(empty.text)
        await client.post("/espace-benevole/deconnexion")
        assert "Recevoir mon lien" in (await client.get("/espace-benevole")).text


async def test_matching_proposes_no_paused_volunteer_and_proposes_them_once_back(
    space_settings, mailbox, matching_settings, dev_issuer
):
    directory = directory_app(space_settings)
    async with feed(matching_settings.kafka_bootstrap) as world, serving(directory) as client:
        assert (await client.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        [applied] = await lookup(directory, VolunteerStore).all()
        await dev_issuer.sign_in(client, "ppm-nantes")
        await review(client, applied["_id"], statut="in-review", honorabilite="cleared")
        await review(client, applied["_id"], statut="approved")
        ref = applied["volunteer_ref"]
        await signed_in(mailbox, client)
        space = (await client.get("/espace-benevole")).text
        assert (await client.post("/espace-benevole/pause", data={"csrf": csrf(space)})).is_redirect

        settings = world.settings(
            dev_issuer.settings_for(matching_settings),
            volunteers_topic=space_settings.volunteers_topic,
        )
        matching = matching_app(settings)
        async with serving(matching):
            views = lookup(matching, VolunteerViews)

            async def known(active: bool):
                view = await views.get(ref)
                return view if view and view.get("active") is active else None

            await eventually(lambda: known(False), what="matching knows the pause")
            store = lookup(matching, MatchStore)
            paused_family = request(postal_code="44000")
            await world.send(world.requests, paused_family, paused_family.family_ref)
            await eventually(
                lambda: _waiting(store, paused_family.request_id), timeout=60, what="waitlist"
            )
            assert await store.open_for_request(paused_family.request_id) is None

            assert (
                await client.post("/espace-benevole/reprise", data={"csrf": csrf(space)})
            ).is_redirect
            await eventually(lambda: known(True), what="matching knows the return")
            family = request(postal_code="44000")
            await world.send(world.requests, family, family.family_ref)
            await eventually(
                lambda: store.open_for_request(family.request_id), timeout=60, what="a proposal"
            )
            proposal = await store.open_for_request(family.request_id)
            assert proposal.support_key == f"volunteer:{ref}"


async def _waiting(store, request_id: str) -> bool:
    return request_id in await store.waiting_ids()


async def test_a_volunteer_who_applied_before_addresses_were_kept_can_sign_in(
    space_settings, mailbox, mongo
):
    """Their address is hashed at the next start, from their identity opened with their
    own key: the link then goes. Once: a marker says it ran, and a later start leaves
    the index alone."""
    async with serving(directory_app(space_settings)) as client:
        assert (await client.post("/devenir-benevole", data=APPLICATION)).status_code == 200
    db = mongo[space_settings.database]
    lookups, migrations = db["volunteer_lookups"], db["migrations"]
    assert await migrations.count_documents({"_id": "volunteer-addresses-kept"}) == 1
    await lookups.delete_many({})  # as before this release: no address, no marker
    await migrations.delete_many({})
    async with serving(directory_app(space_settings)) as client:
        assert await lookups.count_documents({}) == 1
        await signed_in(mailbox, client)
        assert "Reçue" in html.unescape((await client.get("/espace-benevole")).text)
    await lookups.delete_many({})  # the marker stays: the next start hashes nothing
    async with serving(directory_app(space_settings)):
        assert await lookups.count_documents({}) == 0


async def test_the_space_names_the_association_as_french_says_it(space_settings, mailbox):
    """« Ma candidature auprès de l'AFEV » (not « de AFEV »); English takes the name."""
    app = directory_app(space_settings)
    async with serving(app) as client:
        afev = APPLICATION | {"association_id": "afev"}
        assert (await client.post("/devenir-benevole", data=afev)).status_code == 200
        await signed_in(mailbox, client)
        french = html.unescape((await client.get("/espace-benevole")).text)
        english = html.unescape((await client.get("/espace-benevole?lang=en")).text)
    assert "Ma candidature auprès de l'AFEV" in french
    assert "My application with AFEV" in english


async def test_a_volunteer_at_capacity_is_not_told_a_family_may_be_proposed(
    space_settings, mailbox, dev_issuer, mongo
):
    """One family at most and one support under way: « l'association peut vous proposer
    une famille » was not true; the space says none comes before a support ends."""
    app = directory_app(space_settings)
    async with serving(app) as client:
        assert (await client.post("/devenir-benevole", data=APPLICATION)).status_code == 200
        [stored] = await lookup(app, VolunteerStore).all()
        await dev_issuer.sign_in(client, "ppm-nantes")
        await review(client, stored["_id"], statut="in-review", honorabilite="cleared")
        await review(client, stored["_id"], statut="approved")
        await signed_in(mailbox, client)
        free = html.unescape((await client.get("/espace-benevole")).text)
        assert "l'association peut vous proposer une famille" in free

        taken = proposal(stored["volunteer_ref"])
        moved = SupportMove(taken.match_id, "accepted", taken.proposed_at)
        # as the matches consumer hears an accepted match
        await VolunteerSupports(mongo[space_settings.database]).heard([taken, moved])
        full = html.unescape((await client.get("/espace-benevole")).text)
        english = html.unescape((await client.get("/espace-benevole?lang=en")).text)
    assert "accompagnement en cours depuis le" in full
    assert "l'association peut vous proposer une famille" not in full
    assert "ne vous proposera pas de nouvelle famille avant la fin d'un accompagnement" in full
    assert "will not propose a new family to you until a support ends" in english
