"""Every form post of a signed-in page checks its CSRF token, and refuses one without."""

import pytest

from entraide.kit.auth import SESSION_COOKIE
from tests.access_support import MADE_UP_ID, concrete, make_app, route_dependencies
from tests.support import serving

PUBLIC_POSTS = {"/connexion", "/deconnexion", "/devenir-benevole"}  # no session to ride on
PUBLIC_POSTS |= {"/demander-aide", "/suivi"}  # intake's family door: rate-limited, a honeypot
PUBLIC_POSTS |= {"/vos-droits", "/vos-droits/{request_id}/code"}  # a code proves the contact
PUBLIC_POSTS |= {"/espace-benevole/connexion", "/espace-benevole/lien"}  # the link proves it
# the volunteer's own session checks its own token in each of these (test_volunteer_space)
PUBLIC_POSTS |= {
    f"/espace-benevole/{action}"
    for action in ("deconnexion", "pause", "reprise", "offre", "depart")
}
SERVICES = ("directory", "intake", "matching", "privacy")


def form_posts(service: str) -> dict[str, set[str]]:
    routes = route_dependencies(make_app(service, None))
    return {
        path: deps
        for (method, path), deps in routes.items()
        if method == "POST" and not path.startswith(("/api/", "/internal/"))
        if path not in PUBLIC_POSTS
    }


@pytest.mark.parametrize("service", SERVICES)
def test_every_signed_in_form_post_checks_csrf(service: str) -> None:
    unchecked = [path for path, deps in form_posts(service).items() if "check_csrf" not in deps]
    assert unchecked == []


async def test_a_form_post_without_its_token_is_refused_before_anything_happens(
    dev_issuer, intake_settings, privacy_settings
) -> None:
    token = await dev_issuer.token_for("dpo")  # may use every page of intake and privacy
    for service, settings in (("intake", intake_settings), ("privacy", privacy_settings)):
        posts = form_posts(service)
        assert posts, service
        async with serving(make_app(service, settings), ready=False) as client:
            client.cookies.set(SESSION_COOKIE, token)
            for path in posts:
                for form in ({}, {"csrf": "0" * 64}, {"csrf": MADE_UP_ID}):
                    answer = await client.post(concrete(path), data=form)
                    assert answer.status_code == 403, (path, form)
                    assert "Ce formulaire a expiré" in answer.text
