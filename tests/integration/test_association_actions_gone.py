"""An action's forms in the association's space once the action is gone (withdrawn since the
page was read, or never known): each one comes back to the actions' page as the person left
it, saying why, and not onto the card that is no more."""

import html

from tests.integration.test_association_actions_forms import field, served
from tests.integration.test_directory_offers import directory_settings  # noqa: F401

GONE = "Cette action n'est plus publiée : elle a été retirée entre-temps."
LEFT = "etat=reminder&page=2"  # the filter and page the person was on
FORMS = [
    ("GET", "modifier", {}),
    ("POST", "modifier", {"revision": "1", "presentation": "Un après-midi par semaine."}),
    ("POST", "confirmation", {"revision": "1"}),
    ("POST", "places", {"revision": "1", "places": "4"}),
    ("GET", "retrait", {}),
    ("POST", "retrait", {}),
]


async def test_each_form_of_a_withdrawn_or_unknown_action_says_it_is_gone_where_it_was_sent(
    directory_settings,  # noqa: F811
    dev_issuer,
):
    async with served(directory_settings, dev_issuer, capacity=10) as (_app, client, ppm, offer_id):
        await dev_issuer.sign_in(client, "ppm-nantes")
        page = html.unescape((await client.get("/association/actions")).text)
        csrf = field(page, "csrf")
        withdrawn = await client.delete(f"/api/v1/staff/offers/{offer_id}", headers=ppm)
        assert withdrawn.status_code == 204, withdrawn.text
        for gone in (offer_id, "0" * 24):
            for method, path, data in FORMS:
                url = f"/association/actions/{gone}/{path}"
                if method == "GET":
                    answer = await client.get(url, params={"retour": LEFT})
                else:
                    answer = await client.post(url, data={"csrf": csrf, "retour": LEFT, **data})
                assert answer.status_code == 303, (method, path, answer.status_code)
                where = answer.headers["location"]
                assert where.startswith(f"/association/actions?{LEFT}&resultat="), where
                assert "#" not in where, where  # no card to land on
                shown = html.unescape((await client.get(where)).text)
                assert GONE in shown, (method, path)
