"""A volunteer's identity is sealed with a key from privacy's key vault (directory holds no
key of its own), and erasing the volunteer destroys that key: the sealed copy left in
any backup stays unreadable."""

import json

from tests.integration.test_directory_volunteers import FORM
from tests.privacy_support import case_when, closed, network


async def test_a_volunteers_key_lives_in_the_vault_and_dies_with_the_erasure(
    infra, unique, intake_settings, privacy_settings, mongo, dev_issuer
) -> None:
    directory_db = mongo[f"test_directory_{unique}"]
    keys = mongo[privacy_settings.database]["keys"]
    async with network(infra, unique, intake_settings, privacy_settings) as net:
        directory, privacy = net["clients"]["directory"], net["clients"]["privacy"]
        assert (await directory.post("/devenir-benevole", data=FORM)).status_code == 200
        [stored] = await directory_db["volunteers"].find().to_list()
        assert "Camille" not in json.dumps(stored, default=str)
        assert await directory_db["volunteer_keys"].count_documents({}) == 0
        [key] = await keys.find({"subject_ref": stored["volunteer_ref"]}).to_list()
        assert (key["owner"], key["subject_kind"]) == ("directory", "volunteer")
        assert "wrapped" in key

        privacy.headers["Authorization"] = f"Bearer {await dev_issuer.token_for('dpo')}"
        body = {
            "kind": "erasure",
            "subject_ref": stored["volunteer_ref"],
            "subject_kind": "volunteer",
        }
        opened = await privacy.post("/api/v1/cases", json=body)
        assert opened.status_code == 201, opened.text
        case = await case_when(privacy, opened.json()["case_id"], closed)

    assert case["acks"]["directory"]["counts"]["keys"] == 1
    assert await directory_db["volunteers"].count_documents({}) == 0
    [key] = await keys.find({"subject_ref": stored["volunteer_ref"]}).to_list()
    assert "wrapped" not in key  # destroyed: a tombstone, no key material
    assert key.get("destroyed_at") is not None
