"""The network's menu: each signed-in person's spaces in the five services, on every page.

A coordinator registers a family on intake, reviews the proposals on matching and her
association's offers and volunteers on directory: three services, each at its own address.
Each service's menu listed only its own pages, so going from a family's record to the
proposals meant knowing matching's address by heart. Every staff page's menu now lists, in
one order wherever one stands, the spaces the person's role may open: this service's own
entries where its space stands, and one entry for each other service's (`SPACES`).

Who each space admits is the role check of its page in that service (intake's casework,
matching's queue, directory's association space, the observatory's readers, privacy's
DPO); tests/integration/test_network_menu.py holds this table to the services' routes.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from entraide.kit.principal import Principal, Role
from entraide.kit.settings import ServiceSettings

CASEWORK = frozenset({Role.STAFF, Role.COORDINATOR, Role.NETWORK})


@dataclass(frozen=True)
class Space:
    """A service's staff space: its entry page (`path`, named `label`) and who may open it."""

    service: str
    path: str
    label: str
    roles: frozenset[Role]


# in the order of a family's path through the network, the DPO's and readers' last
SPACES = (
    Space("intake", "/familles", "Familles", CASEWORK),
    Space("matching", "/propositions", "Propositions", CASEWORK),
    Space("directory", "/association", "Espace association", CASEWORK),
    Space("observatory", "/", "Indicateurs", frozenset({Role.NETWORK, Role.FUNDER})),
    Space("privacy", "/dossiers", "Demandes d'exercice des droits", frozenset({Role.DPO})),
)


def address_of(service: str, settings: ServiceSettings) -> str:
    """A service's public address (ENTRAIDE_<SERVICE>_URL), without its final "/"."""
    url: str = getattr(settings, f"{service}_url")
    return url.rstrip("/")


def menu(
    principal: Principal | None,
    own: Sequence[tuple[str, str]],
    *,
    here: str,
    settings: ServiceSettings,
) -> list[tuple[str, str]]:
    """The menu of a page of service `here` whose own entries are `own` (as this service
    shows them to `principal`): for a signed-in person, each space their role may open, in
    `SPACES`' order, `own` standing for this service's; before sign-in, `own` alone."""
    if principal is None:
        return list(own)
    links: list[tuple[str, str]] = []
    for space in SPACES:
        if space.service == here:
            links += own
        elif principal.role in space.roles:
            links.append((address_of(space.service, settings) + space.path, space.label))
    return links


def menu_of(settings: ServiceSettings, here: str) -> Callable[..., list[tuple[str, str]]]:
    """The template global `network_menu(request, principal, own)`: `menu` for whoever this
    request was verified for, when the template has no principal of its own."""

    def network_menu(
        request: Request | None, principal: Any, own: Sequence[tuple[str, str]]
    ) -> list[tuple[str, str]]:
        if not isinstance(principal, Principal) and request is not None:
            principal = getattr(request.state, "principal", None)
        signed_in = principal if isinstance(principal, Principal) else None
        return menu(signed_in, own, here=here, settings=settings)

    return network_menu
