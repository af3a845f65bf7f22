"""Each signed-in person's home: where « Retour à l'accueil » and the header's logo lead them.

A service's "/" is not everyone's: intake's and matching's are casework, privacy's the DPO's
cases, the observatory's its readers'. A funder refused a casework page and sent to that "/"
was refused again. So a service names who its "/" admits (`install_auth`); anyone else goes
to their own service's pages: a funder to the observatory, the DPO to privacy, the others
(associations' staff, the network's coordination) to intake's casework.
"""

from collections.abc import Collection

from fastapi import Request

from entraide.kit.principal import Principal, Role
from entraide.kit.settings import ServiceSettings


def home_of(
    principal: Principal | None, settings: ServiceSettings, admitted: Collection[Role]
) -> str:
    """This service's "/" if its home admits `principal` (or nobody is signed in), else the
    home page of the service that is theirs."""
    if principal is None or principal.role in admitted:
        return "/"
    elsewhere = {Role.FUNDER: settings.observatory_url, Role.DPO: settings.privacy_url}
    return elsewhere.get(principal.role, settings.intake_url).rstrip("/") + "/"


def home_link(
    request: Request | None,
    principal: object = None,
    *,
    settings: ServiceSettings,
    admitted: Collection[Role],
) -> str:
    """The home (`home_of`) of `principal`, else of whoever this request was verified for:
    a template global, `home_of(request, principal)` (a template without a principal passes
    Jinja's Undefined)."""
    if not isinstance(principal, Principal) and request is not None:
        principal = getattr(request.state, "principal", None)
    return home_of(principal if isinstance(principal, Principal) else None, settings, admitted)
