"""Who calls the key vault: a service named by a valid service token (see
`entraide.kit.keyvault_client`), among the clients the settings allow."""

import logging
from collections.abc import Mapping

from pydantic import SecretStr

from entraide.kit.keyvault_client import ServiceTokenError, verify_service_token

log = logging.getLogger(__name__)


class ServiceTokens:
    """The key vault's clients and their shared secrets."""

    def __init__(self, clients: Mapping[str, SecretStr]) -> None:
        self.secrets = {name: secret.get_secret_value() for name, secret in clients.items()}

    def caller(self, authorization: str) -> str:
        """The service a `Bearer <token>` header names; ServiceTokenError if none."""
        scheme, _, token = authorization.partition(" ")
        if scheme.lower() != "bearer":
            raise ServiceTokenError("missing")
        return verify_service_token(token.strip(), self.secrets)
