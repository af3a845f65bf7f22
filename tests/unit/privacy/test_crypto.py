import time

import pytest
from cryptography.exceptions import InvalidTag

from entraide.kit.export_seal import new_recipient, open_sealed, seal_for
from entraide.kit.keyvault_client import (
    ServiceTokenError,
    service_token,
    verify_service_token,
)
from entraide.privacy.adapters import crypto

SECRETS = {
    "intake": "intake-secret-of-at-least-32-bytes!!",
    "directory": "directory-secret-of-at-least-32-bytes",
}


def test_a_wrapped_key_opens_only_with_its_master_and_its_id():
    master, other = crypto.new_key(), crypto.new_key()
    key = crypto.new_key()
    wrapped = crypto.wrap(master, "intake/fam-1", key)
    assert crypto.unwrap(master, "intake/fam-1", wrapped) == key
    with pytest.raises(InvalidTag):
        crypto.unwrap(other, "intake/fam-1", wrapped)
    with pytest.raises(InvalidTag):
        crypto.unwrap(master, "intake/fam-2", wrapped)


def test_a_service_token_names_its_service():
    assert (
        verify_service_token(
            service_token("intake", "intake-secret-of-at-least-32-bytes!!"), SECRETS
        )
        == "intake"
    )


@pytest.mark.parametrize(
    "token",
    [
        service_token(
            "intake", "directory-secret-of-at-least-32-bytes"
        ),  # signed with another service's secret
        service_token("billing", "billing-secret-of-at-least-32-bytes!!"),  # unknown service
        service_token(
            "intake", "intake-secret-of-at-least-32-bytes!!", now=time.time() - 120
        ),  # expired
        "not-a-token",
    ],
)
def test_forged_foreign_or_stale_tokens_are_refused(token):
    with pytest.raises(ServiceTokenError):
        verify_service_token(token, SECRETS)


def test_an_export_part_opens_only_with_the_case_key_and_id():
    private, public = new_recipient()
    sealed = seal_for(public, "case-1", {"identity": {"first_name": "Amina"}})
    assert "Amina" not in sealed
    assert open_sealed(private, "case-1", sealed) == {"identity": {"first_name": "Amina"}}
    with pytest.raises(InvalidTag):
        open_sealed(private, "case-2", sealed)
    other, _ = new_recipient()
    with pytest.raises(InvalidTag):
        open_sealed(other, "case-1", sealed)
