"""Who may call what: every role against every route of the four services.

The routes come from the apps themselves, so a new route without an entry in RULES fails
here, and so does an entry for a route that went away. "Let in" means neither 401/403 nor
a redirect to /connexion (a made-up id may then give 404, an empty body 422); nobody ever
gets a 5xx. Matching's decisions answer 403 for a record the caller may not decide on, a
made-up one included: there only sign-in is checked here (PER_RECORD). Which families or matches a role sees inside a route is tested beside each
service (test_matching_access, test_staff_pages, ...).
"""

import time

import httpx
import pytest
from pydantic import SecretStr

from entraide.intake.domain import partners
from entraide.intake.domain.partners import Partner
from entraide.intake.entrypoints.http.partner_api import (
    KEY_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
)
from tests.access_support import (
    ALL,
    ANYONE,
    NETWORK_WIDE,
    NOBODY,
    PARTNER,
    PER_RECORD,
    ROLES,
    SIGNED_IN,
    app_routes,
    concrete,
    make_app,
    settings_of,
)
from tests.auth_support import DevIssuer
from tests.integration.conftest import PARTNER_SECRET
from tests.support import serving

NETWORK_COORDINATION = frozenset({"network-coordinator"})
# who works an association's queue: its staff and coordinators, and the network's
# coordination; not the DPO, not a funder (the observatory's figures only)
QUEUE = frozenset({"staff", "other-association-staff", "coordinator", "network-coordinator"})
# who belongs to an association: its lists are theirs (no one else's is an empty page)
ASSOCIATION_STAFF = frozenset({"staff", "other-association-staff", "coordinator"})
# who may open a family's record (the DPO included, audited); a funder opens none
RECORD_READERS = SIGNED_IN - {"funder"}
OPS = {
    ("GET", "/openapi.json"): ANYONE,
    ("GET", "/docs"): ANYONE,
    ("GET", "/docs/oauth2-redirect"): ANYONE,
    ("GET", "/redoc"): ANYONE,
    ("GET", "/metrics"): ANYONE,
    ("GET", "/healthz"): ANYONE,
    ("GET", "/readyz"): ANYONE,
    ("GET", "/asyncapi.json"): ANYONE,
    ("GET", "/asyncapi"): ANYONE,
    ("GET", "/connexion"): ANYONE,
    ("POST", "/connexion"): ANYONE,
    ("POST", "/deconnexion"): ANYONE,
    ("GET", "/"): ANYONE,
}
RULES = {
    "directory": OPS
    | {
        ("GET", "/api/v1/offers"): ANYONE,
        ("GET", "/api/v1/offers/{offer_id}"): ANYONE,
        ("GET", "/api/v1/associations"): ANYONE,
        ("GET", "/api/v1/territories"): ANYONE,
        ("GET", "/api/v1/export/data-inclusion/services"): ANYONE,
        ("GET", "/api/v1/staff/offers"): SIGNED_IN,
        ("POST", "/api/v1/staff/offers"): SIGNED_IN,
        ("PUT", "/api/v1/staff/offers/{offer_id}"): SIGNED_IN,
        ("DELETE", "/api/v1/staff/offers/{offer_id}"): SIGNED_IN,
        ("POST", "/api/v1/volunteers"): ANYONE,
        ("GET", "/api/v1/staff/volunteers"): ASSOCIATION_STAFF,
        ("PATCH", "/api/v1/staff/volunteers/{volunteer_id}"): SIGNED_IN,
        ("GET", "/recherche"): ANYONE,
        ("GET", "/offres/{offer_id}"): ANYONE,
        ("GET", "/devenir-benevole"): ANYONE,
        ("POST", "/devenir-benevole"): ANYONE,
        ("GET", "/association"): QUEUE,
        ("GET", "/association/actions"): QUEUE,
        # an action's card: its association's staff (the record decides: 403 for another's)
        ("POST", "/association/actions/{offer_id}/confirmation"): QUEUE,
        ("POST", "/association/actions/{offer_id}/places"): QUEUE,
        ("GET", "/association/actions/{offer_id}/retrait"): QUEUE,
        ("POST", "/association/actions/{offer_id}/retrait"): QUEUE,
        ("GET", "/association/actions/{offer_id}/modifier"): QUEUE,
        ("POST", "/association/actions/{offer_id}/modifier"): QUEUE,
        ("POST", "/association/benevoles/{volunteer_id}"): PER_RECORD,
        ("GET", "/association/benevoles/{volunteer_id}/coordonnees"): PER_RECORD,
        ("POST", "/association/benevoles/{volunteer_id}/coordonnees"): PER_RECORD,
        # the volunteer's own space: staff roles play no part; only the volunteer's own
        # session (a link by e-mail) acts there (NOBODY here), tested in test_volunteer_space
        ("GET", "/espace-benevole"): ANYONE,
        ("GET", "/espace-benevole/connexion"): ANYONE,
        ("POST", "/espace-benevole/connexion"): ANYONE,
        ("POST", "/espace-benevole/lien"): ANYONE,
        ("POST", "/espace-benevole/deconnexion"): ANYONE,
        ("POST", "/espace-benevole/pause"): NOBODY,
        ("POST", "/espace-benevole/reprise"): NOBODY,
        ("POST", "/espace-benevole/offre"): NOBODY,
        ("POST", "/espace-benevole/depart"): NOBODY,
        ("POST", "/internal/v1/subjects-by-contact"): NOBODY,  # privacy's service token only
    },
    "intake": OPS
    | {
        ("POST", "/api/v1/requests"): QUEUE,
        ("GET", "/api/v1/families/{family_id}"): RECORD_READERS,
        ("POST", "/api/v1/families/{family_id}/sharing-overrides"): NETWORK_COORDINATION,
        ("PUT", "/api/v1/families/{family_id}/consent"): RECORD_READERS,
        ("POST", "/api/v1/families/{family_id}/requests"): QUEUE,
        ("POST", "/api/v1/partner-events/{event_id}/consent"): PARTNER,
        ("POST", "/api/v1/partner-events/{event_id}/withdrawal"): PARTNER,
        ("GET", "/api/v1/partner-events/schema"): ANYONE,
        ("POST", "/api/v1/partner-events"): PARTNER,
        ("GET", "/api/v1/partner-events/{event_id}"): PARTNER,
        ("GET", "/familles"): QUEUE,
        ("POST", "/familles"): QUEUE,
        ("GET", "/familles/nouvelle"): QUEUE,
        ("POST", "/familles/nouvelle"): QUEUE,
        ("GET", "/familles/{family_id}"): RECORD_READERS,
        ("GET", "/familles/par-reference/{family_ref}"): RECORD_READERS,
        ("GET", "/familles/{family_id}/demandes/{request_id}/modifier"): RECORD_READERS,
        ("POST", "/familles/{family_id}/demandes/{request_id}/modifier"): RECORD_READERS,
        ("POST", "/familles/{family_id}/demandes/{request_id}/retrait"): RECORD_READERS,
        ("GET", "/familles/{family_id}/demandes/nouvelle"): QUEUE,
        ("POST", "/familles/{family_id}/demandes/nouvelle"): QUEUE,
        ("POST", "/familles/{family_id}/contacts"): RECORD_READERS,
        ("GET", "/familles/{family_id}/journal"): NETWORK_WIDE,
        ("GET", "/demander-aide"): ANYONE,  # the family's own door
        ("POST", "/demander-aide"): ANYONE,
        ("GET", "/suivi"): ANYONE,
        ("POST", "/suivi"): ANYONE,
        ("GET", "/a-confirmer"): QUEUE,  # its queue, each in the staff member's scope
        ("POST", "/a-confirmer/{self_id}"): QUEUE,
        ("POST", "/internal/v1/subjects-by-contact"): NOBODY,  # privacy's service token only
    },
    "matching": OPS
    | {
        ("GET", "/api/v1/requests/{request_id}"): SIGNED_IN,
        ("GET", "/api/v1/proposals"): QUEUE,
        ("POST", "/api/v1/proposals/{match_id}"): QUEUE,
        ("GET", "/api/v1/waitlist"): QUEUE,
        ("GET", "/propositions"): QUEUE,
        ("POST", "/propositions/{match_id}/{decision}"): PER_RECORD,
        ("GET", "/attente"): QUEUE,
        ("POST", "/attente/{request_id}/proposer"): PER_RECORD,
        ("GET", "/suivis"): QUEUE,
        ("POST", "/suivis/{match_id}/{action}"): PER_RECORD,
    },
    "privacy": OPS
    | {
        ("POST", "/api/v1/cases"): {"dpo"},
        ("GET", "/api/v1/cases"): {"dpo"},
        ("GET", "/api/v1/cases/{case_id}"): {"dpo"},
        ("POST", "/api/v1/cases/{case_id}/decision"): {"dpo"},
        ("GET", "/api/v1/cases/{case_id}/export"): {"dpo"},
        ("POST", "/api/v1/retention/sweep"): {"dpo"},
        ("GET", "/api/v1/statistics"): {"dpo"},
        ("PUT", "/internal/v1/keys/{key_id}"): NOBODY,  # other services' own tokens only
        ("GET", "/internal/v1/keys/{key_id}"): NOBODY,
        ("DELETE", "/internal/v1/keys/{key_id}"): NOBODY,
        ("POST", "/internal/v1/keys:batch"): NOBODY,
        ("POST", "/internal/v1/keys:destroy"): NOBODY,
        ("GET", "/dossiers"): {"dpo"},
        ("POST", "/dossiers"): {"dpo"},
        ("GET", "/dossiers/{case_id}"): {"dpo"},
        ("POST", "/dossiers/{case_id}/decision"): {"dpo"},
        ("GET", "/dossiers/{case_id}/export.json"): {"dpo"},
        ("GET", "/dossiers/{case_id}/export.html"): {"dpo"},
        ("GET", "/conservation"): {"dpo"},
        ("POST", "/conservation"): {"dpo"},
        ("POST", "/internal/v1/erasure-requests"): NOBODY,  # the owners' service tokens only
        # a rectification's words, for the service owning the case's record only
        ("GET", "/internal/v1/rectifications/{case_id}/statement"): NOBODY,
        # the public rights channel: the person proves a contact with a code
        ("GET", "/vos-droits"): ANYONE,
        ("POST", "/vos-droits"): ANYONE,
        ("GET", "/vos-droits/{request_id}/code"): ANYONE,
        ("POST", "/vos-droits/{request_id}/code"): ANYONE,
        ("GET", "/vos-droits/export/{token}"): ANYONE,  # the signed link decides
        ("GET", "/vos-droits/export/{token}/donnees.json"): ANYONE,
    },
}


@pytest.mark.parametrize("service", sorted(RULES))
def test_every_route_has_an_access_rule(service: str) -> None:
    routes = app_routes(make_app(service, None))
    assert sorted(routes - RULES[service].keys()) == [], "routes without a rule"
    assert sorted(RULES[service].keys() - routes) == [], "rules for routes that are gone"


@pytest.mark.parametrize("service", sorted(RULES))
async def test_each_role_is_let_in_exactly_where_its_rule_says(
    service: str,
    infra,
    unique: str,
    dev_issuer: DevIssuer,
    intake_settings,
    privacy_settings,
    matching_settings,
) -> None:
    partner = Partner(secret=SecretStr(PARTNER_SECRET), source="urn:entraide:partner:caf-44")
    settings = settings_of(
        service,
        infra,
        unique,
        dev_issuer,
        intake=intake_settings.model_copy(update={"partners": {"caf-44": partner}}),
        privacy=privacy_settings,
        matching=matching_settings,
    )
    app = make_app(service, settings)
    tokens = {role: await dev_issuer.token_for(account) for role, account in ROLES.items()}
    wrong = []
    async with serving(app, ready=False) as client:
        for (method, template), allowed in sorted(RULES[service].items()):
            for role in ALL:
                status, who, may = await _call(client, method, concrete(template), role, tokens)
                if allowed is PER_RECORD:  # signed in: the record decides (403 for a made-up one)
                    ok = who if role in SIGNED_IN else not (who and may)
                else:
                    ok = (who and may) == (role in allowed)
                server_error = status >= 500 and template != "/readyz"  # 503: Kafka not yet up
                if server_error or not ok:
                    wrong.append(f"{role} {method} {template}: {status}")
    assert wrong == [], "\n".join(wrong)


async def _call(
    client: httpx.AsyncClient, method: str, path: str, role: str, tokens: dict[str, str]
) -> tuple[int, bool]:
    """Call as `role`: a bearer token under /api, the session cookie (and the form's CSRF
    token) on pages, the partner's signature for the partner; returns the status, whether the
    caller was recognised (no 401, no sign-in redirect) and whether it was let in (no 403)."""
    from entraide.kit.auth import SESSION_COOKIE
    from entraide.kit.settings import DEV_SESSION_SECRET
    from entraide.kit.web import csrf_token

    client.cookies.clear()
    headers: dict[str, str] = {}
    body = b"" if method in ("GET", "DELETE") else b"{}"
    data: dict[str, str] | None = None
    if role in tokens:
        token = tokens[role]
        if path.startswith("/api/"):
            headers["Authorization"] = f"Bearer {token}"
        else:
            client.cookies.set(SESSION_COOKIE, token)
            if method == "POST":
                data = {"csrf": csrf_token(DEV_SESSION_SECRET.encode(), token)}
    elif role == "partner":
        stamp = str(int(time.time()))
        signed = b"" if method == "GET" else body
        headers |= {
            KEY_HEADER: "caf-44",
            TIMESTAMP_HEADER: stamp,
            SIGNATURE_HEADER: partners.signature(PARTNER_SECRET, stamp, signed),
        }
    if data is not None:
        answer = await client.request(method, path, data=data, headers=headers)
    elif method in ("GET", "DELETE"):
        answer = await client.request(method, path, headers=headers)
    else:
        headers["content-type"] = "application/json"
        answer = await client.request(method, path, content=body, headers=headers)
    to_sign_in = answer.status_code in (302, 303) and "/connexion?suivant=" in answer.headers.get(
        "location", ""
    )
    recognised = answer.status_code != 401 and not to_sign_in
    return answer.status_code, recognised, answer.status_code != 403
