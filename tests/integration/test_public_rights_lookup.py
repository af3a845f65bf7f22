"""The owners' internal lookup (privacy's rights channel asks which subjects a proved contact
names): only privacy's service token opens it, and the answer names references only."""

from entraide.intake.app import create_app as intake_app
from entraide.kit.keyvault_client import dev_secret, service_token
from tests.support import request_body, serving

PATH = "/internal/v1/subjects-by-contact"


async def test_only_privacy_may_ask_intake_which_family_a_contact_names(
    intake_settings, staff_bearer
) -> None:
    async with serving(intake_app(intake_settings)) as intake:
        created = await intake.post(
            "/api/v1/requests", json=request_body() | {"confirm_new": True}, headers=staff_bearer
        )
        assert created.status_code == 201
        body = {"channel": "sms", "value": "0612345678"}
        privacy = {"Authorization": f"Bearer {service_token('privacy', dev_secret('intake'))}"}
        forged = {
            "Authorization": f"Bearer {service_token('privacy', 'a-secret-that-is-not-the-one-intake-shares')}"
        }
        directory = {"Authorization": f"Bearer {service_token('directory', dev_secret('intake'))}"}
        found = await intake.post(PATH, json=body, headers=privacy)
        by_mail = await intake.post(
            PATH, json={"channel": "email", "value": "amina.diallo@example.org"}, headers=privacy
        )
        other = await intake.post(
            PATH, json={"channel": "sms", "value": "0700000000"}, headers=privacy
        )
        refused = [
            await intake.post(PATH, json=body),
            await intake.post(PATH, json=body, headers=forged),
            await intake.post(PATH, json=body, headers=directory),
            await intake.post(PATH, json=body, headers=staff_bearer),
        ]

    assert found.status_code == 200
    (ref,) = found.json()["subject_refs"]
    assert found.json() == {"subject_refs": [ref]}, "references only"
    assert by_mail.json() == {"subject_refs": [ref]}
    assert other.json() == {"subject_refs": []}
    assert [r.status_code for r in refused] == [401, 401, 401, 401]
    assert all("Jeton de service absent ou invalide." in r.text for r in refused)
