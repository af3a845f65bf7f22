"""Privacy's key vault holds intake's family keys: wrapped at rest, reachable only with
the owning service's token, rotated under a new master key, destroyed on erasure."""

import base64
import json
import logging

import pytest
from bson import json_util

from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases import recording
from entraide.intake.usecases.casework import Casework
from entraide.kit.deps import lookup
from entraide.kit.keyvault_client import KeyDestroyedError, service_token
from entraide.privacy.adapters.vault import KeyVault
from entraide.privacy.app import create_app as privacy_app
from tests.privacy_support import vault_client, vault_keys
from tests.support import IDENTITY_VALUES, request_body, serving

NEW_MASTER = base64.b64encode(b"a-new-master-key-for-the-vault!!").decode()


async def test_intake_seals_identity_with_a_key_from_the_vault(
    intake_settings, privacy_settings, staff_bearer, mongo
) -> None:
    privacy = privacy_app(privacy_settings)
    app = intake_app(intake_settings, keys=vault_keys(privacy, intake_settings))
    intake_db, privacy_db = mongo[intake_settings.database], mongo[privacy_settings.database]
    async with serving(privacy) as vault_http, serving(app) as intake:
        intake.headers.update(staff_bearer)
        created = (await intake.post("/api/v1/requests", json=request_body())).json()
        family = await intake_db["families"].find_one(
            {"requests.request_id": created["request_id"]}
        )
        fid = family["_id"]
        assert "family_keys" not in await intake_db.list_collection_names()
        stored = await privacy_db["keys"].find_one({"_id": f"intake/{fid}"})
        assert stored["subject_ref"] == family["family_ref"]
        assert "wrapped" in stored
        dumped = json.dumps([family, stored], default=json_util.default)
        assert not [v for v in IDENTITY_VALUES if v in dumped]

        shown = (await intake.get(f"/api/v1/families/{fid}")).json()
        assert shown["identity"]["parent"]["last_name"] == "Diallo"

        # only intake's own token reaches intake's keys
        as_directory = {
            "Authorization": f"Bearer {service_token('directory', 'wrong-secret-' * 3)}"
        }
        assert (
            await vault_http.get(f"/internal/v1/keys/{fid}", headers=as_directory)
        ).status_code == 401
        assert (await vault_http.get(f"/internal/v1/keys/{fid}")).status_code == 401
        assert await vault_client(privacy, "directory").fetch(fid) is None
        assert await vault_client(privacy, "intake").fetch(fid) is not None

        # destroyed: unreadable everywhere, and never created again
        await vault_client(privacy, "intake").destroy(fid)
        keys = vault_keys(privacy, intake_settings)
        assert await recording.family_identity(lookup(app, Casework).families, keys, fid) is None
        with pytest.raises(LookupError):
            await keys.key_for(fid, family["family_ref"])


async def test_rotation_rewraps_every_key_under_the_new_master(privacy_settings, mongo) -> None:
    db = mongo[privacy_settings.database]
    old = KeyVault(db, privacy_settings.masters(), privacy_settings.active_master)
    keys = {}
    for n in range(5):
        keys[n], _ = await old.get_or_create(
            "intake", f"family-{n:04d}", subject_ref=f"ref-{n:06d}", subject_kind="family"
        )
    await old.destroy("intake", "family-0004")

    both = {**privacy_settings.masters(), "new": base64.b64decode(NEW_MASTER)}
    assert await KeyVault(db, both, "new").rotate(batch=2) == 4
    assert await KeyVault(db, both, "new").rotate() == 0

    only_new = KeyVault(db, {"new": base64.b64decode(NEW_MASTER)}, "new")
    for n in range(4):
        assert await only_new.get("intake", f"family-{n:04d}") == keys[n]
    with pytest.raises(KeyDestroyedError):
        await only_new.get("intake", "family-0004")


async def test_many_keys_are_created_in_one_call_each_once_and_never_after_erasure(
    intake_settings, privacy_settings, mongo, caplog
) -> None:
    caplog.set_level(logging.INFO)  # as deployed: an INFO line that cannot be built fails
    privacy = privacy_app(privacy_settings)
    keys_db = mongo[privacy_settings.database]["keys"]
    subjects = {f"family-batch-{n:04d}": f"ref-batch-{n:06d}" for n in range(5)}
    async with serving(privacy) as vault_http:
        client = vault_client(privacy, "intake")
        erased = "family-batch-0004"
        await client.create(erased, subject_ref=subjects[erased], subject_kind="family")
        await client.destroy(erased)
        calls = []

        async def count(request) -> None:  # the round trips
            calls.append(request)

        client._http.event_hooks["request"].append(count)

        keys = vault_keys(privacy, intake_settings)
        keys.client = client
        first = await keys.keys_for(subjects)
        assert len(calls) == 1, "one call for the whole batch"
        assert sorted(first) == sorted(set(subjects) - {erased}), "the erased one refused"
        # idempotent per id: the same keys again, nothing created twice
        again, destroyed = await client.create_many(subjects, subject_kind="family")
        assert again == first
        assert destroyed == {erased}
        assert await keys_db.count_documents({"owner": "intake"}) == 5
        stored = await keys_db.find_one({"_id": "intake/family-batch-0001"})
        assert (stored["subject_ref"], stored["subject_kind"]) == ("ref-batch-000001", "family")
        assert "wrapped" in stored
        assert first["family-batch-0001"] not in stored["wrapped"]
        # cached: reading a key just created costs no call
        calls.clear()
        assert await keys.existing("family-batch-0000") == first["family-batch-0000"]
        assert calls == []
        # the single call agrees with the batch, and erasure stays per subject
        assert (
            await keys.key_for("family-batch-0002", "ref-batch-000002")
            == first["family-batch-0002"]
        )
        await client.destroy("family-batch-0002")
        assert await client.fetch("family-batch-0002") is None
        assert "family-batch-0002" not in await keys.keys_for(subjects)
        # the same service token, or nothing
        body = {"subject_kind": "family", "keys": [{"key_id": "x" * 10, "subject_ref": "y" * 10}]}
        assert (await vault_http.post("/internal/v1/keys:batch", json=body)).status_code == 401
        as_directory = {"Authorization": f"Bearer {service_token('directory', 'wrong' * 8)}"}
        refused = await vault_http.post("/internal/v1/keys:batch", json=body, headers=as_directory)
        assert refused.status_code == 401
        # another service's batch reaches its own keys only
        theirs, _ = await vault_client(privacy, "directory").create_many(
            {"family-batch-0000": "ref-batch-000000"}, subject_kind="family"
        )
        assert theirs["family-batch-0000"] != first["family-batch-0000"]
