"""The owners' internal lookup (privacy's rights channel asks which subjects a proved contact
names): only privacy's service token opens it, and the answer names references only."""

from datetime import UTC, datetime, timedelta

from entraide.contracts.events import AccessRequested
from entraide.contracts.vocab import SubjectKind
from entraide.intake.app import create_app as intake_app
from entraide.intake.usecases.rights import IntakeRights
from entraide.intake.usecases.self_requests import FamilyDoor
from entraide.kit.deps import lookup
from entraide.kit.keyvault_client import dev_secret, service_token
from entraide.privacy.entrypoints.http.readable import FIELDS
from tests.integration.test_family_door import form
from tests.integration.test_public_rights import _keys
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


async def test_a_request_still_waiting_at_the_family_door_is_found_and_exported(
    intake_settings,
) -> None:
    """A parent who asked at the door and whose request waits for staff has data all the
    same: their contact names them to privacy, and the access export holds the request,
    opened (the follow-up code left out), with no hash or sealed copy."""
    app = intake_app(intake_settings)
    async with serving(app) as intake:
        door = lookup(app, FamilyDoor)
        sent = await intake.post(
            "/demander-aide",
            data=form(door, **{"parent.phone": "", "contact_preferences": ["email"]}),
        )
        assert sent.status_code == 200, sent.text
        privacy = {"Authorization": f"Bearer {service_token('privacy', dev_secret('intake'))}"}
        email = {"channel": "email", "value": "awa.traore@example.org"}
        found = await intake.post(PATH, json=email, headers=privacy)
        (ref,) = found.json()["subject_refs"]
        access = AccessRequested(
            case_id="case-door-access",
            subject_ref=ref,
            subject_kind=SubjectKind.FAMILY,
            deadline=datetime.now(UTC) + timedelta(days=30),
        )
        export = await lookup(app, IntakeRights).export(access)

    (own,) = export["own_requests"]
    assert "family" not in export  # staff have not confirmed it
    assert own["stage"] == "pending"
    assert own["identity"]["parent"]["last_name"] == "Traoré"
    assert own["identity"]["message"] == "Seule avec deux enfants, épuisée."
    assert "code" not in own["identity"]
    assert not {"sealed", "lookup", "code_hash", "family_id"} & set(own)
    unnamed = _keys(export) - set(FIELDS)
    assert not unnamed, f"fields the export page would show as code: {unnamed}"
