"""Someone the observatory never lets in (an association's coordinator) was refused with
the Indicateurs / Rapport menu shown and « Retour à l'accueil » leading to the same refusal:
a loop. Their refusal shows no menu and offers a way out (sign in with another account);
a reader refused one action keeps the menu and the way home."""

import re

from entraide.kit.principal import Principal, Role
from entraide.observatory.app import page_templates

COORDINATOR = Principal(
    subject="c1", name="Claire", role=Role.COORDINATOR, association_id="parrains-par-mille",
    territories=("44",),
)  # fmt: skip
FUNDER = Principal(
    subject="f1", name="Fanny", role=Role.FUNDER, association_id=None, territories=()
)


def refused(principal: Principal) -> str:
    template = page_templates().env.get_template("interdit.html")
    context = {"heading": "Accès refusé", "message": "Votre rôle ne donne pas accès à cette page."}
    return template.render(context | {"principal": principal, "request": None})


def test_an_associations_coordinator_is_shown_a_way_out_not_a_loop() -> None:
    page = refused(COORDINATOR)
    assert "fr-nav__link" not in page
    assert 'href="/rapport"' not in page
    assert not re.search(r'<a [^>]*href="/"[^>]*>Retour', page)
    assert re.search(r'action="/deconnexion".*Se connecter avec un autre compte', page, re.S)


def test_a_reader_refused_one_action_keeps_the_menu_and_the_way_home() -> None:
    page = refused(FUNDER)
    assert 'href="/rapport"' in page
    assert re.search(r'<a [^>]*href="/"[^>]*>Retour', page)


def test_a_reader_is_told_whom_to_ask_not_an_association_they_have_none_of() -> None:
    page = " ".join(refused(FUNDER).split())
    assert "adressez-vous à la coordination du réseau." in page
    assert "votre association" not in page
