"""A volunteer leaves from their space: inactive on the volunteers topic at once, then the
tombstone (the erasure adds no second one); directory asks privacy (its internal API,
directory's service token) to open an erasure case for the volunteer; privacy commands
the services, directory erases the volunteer and everything naming them (the sign-in's
address hash and links too), the case closes and the volunteer's key is destroyed.
Directory, privacy, a real SMTP server, the real broker and store; privacy over real HTTP
(directory calls it)."""

import html
import json

import httpx

from entraide.directory.app import create_app as directory_app
from entraide.directory.entrypoints.http.volunteers.space import COOKIE
from entraide.privacy.app import create_app as privacy_app
from tests.integration.test_directory_offers import directory_settings  # noqa: F401
from tests.integration.test_volunteer_space import csrf, mailbox, signed_in  # noqa: F401
from tests.integration.test_volunteer_to_family import APPLICATION, approved_volunteer
from tests.privacy_support import case_when, closed
from tests.servers import serve_in_thread
from tests.support import eventually, everything, records, serving


async def test_a_volunteer_leaves_inactive_at_once_and_erased_through_privacy(
    directory_settings,  # noqa: F811
    privacy_settings,
    mailbox,  # noqa: F811
    mongo,
    dev_issuer,
):
    privacy = privacy_app(
        privacy_settings.model_copy(
            update={"rights_services": ("directory", "privacy"), "graceful_timeout_seconds": 2.0}
        )
    )
    with serve_in_thread(privacy, name="privacy") as privacy_url:
        settings = directory_settings.model_copy(
            update={"smtp_port": mailbox.port, "keys": "vault", "keyvault_url": privacy_url}
        )
        app = directory_app(settings)
        async with serving(app) as client:
            stored = await approved_volunteer(app, client, dev_issuer)
            ref = stored["volunteer_ref"]

            await signed_in(mailbox, client)
            sent = mongo[settings.database]["notifications"]
            # the records of the link and of the three statuses told (received, in review,
            # accepted)
            assert await sent.count_documents({"recipient_ref": ref}) == 4
            space = (await client.get("/espace-benevole")).text
            unconfirmed = await client.post("/espace-benevole/depart", data={"csrf": csrf(space)})
            assert unconfirmed.status_code == 422
            assert "Cochez la case" in html.unescape(unconfirmed.text)
            left = await client.post(
                "/espace-benevole/depart", data={"csrf": csrf(space), "confirmation": "oui"}
            )
            assert left.status_code == 200
            assert "Votre demande est enregistrée" in html.unescape(left.text)
            assert COOKIE not in client.cookies  # the session ends with the departure

            seen = await records(
                settings.kafka_bootstrap, settings.volunteers_topic, key=ref.encode(), at_least=3
            )
            assert json.loads(seen[-2].value)["data"]["active"] is False
            assert seen[-1].value is None  # the tombstone: matching forgets them

            db = mongo[settings.database]
            dpo = {"Authorization": f"Bearer {await dev_issuer.token_for('dpo')}"}
            async with httpx.AsyncClient(base_url=privacy_url, headers=dpo) as officer:

                async def opened():
                    cases = (await officer.get("/api/v1/cases")).json()
                    return [c for c in cases if c["subject_ref"] == ref]

                [case] = await eventually(opened, what="the erasure case")
                assert (case["kind"], case["subject_kind"]) == ("erasure", "volunteer")
                case = await case_when(officer, case["case_id"], closed, timeout=90)
            assert case["audit"][0]["actor"] == "personne"  # at the volunteer's request
            names = ("volunteers", "volunteer_lookups", "volunteer_links", "volunteer_erasures")
            for name in names:
                assert await db[name].count_documents({}) == 0, name
            # the sign-in link's record named the volunteer: erased with the rest
            assert await db["notifications"].count_documents({"recipient_ref": ref}) == 0
            keys = mongo[privacy_settings.database]["keys"]
            [key] = await keys.find({"subject_ref": ref}).to_list()
            assert "wrapped" not in key  # the volunteer's key destroyed
            # their leaving's tombstone was out before the erasure: the erasure adds none
            theirs = [
                r
                for r in await everything(settings.kafka_bootstrap, settings.volunteers_topic)
                if r.key == ref.encode()
            ]
            assert [r.value is None for r in theirs] == [False, False, True]

            # a link asked for afterwards: nobody to send it to
            before = len(mailbox.messages)
            await client.post("/espace-benevole/lien", data={"courriel": APPLICATION["courriel"]})
            assert len(mailbox.messages) == before
