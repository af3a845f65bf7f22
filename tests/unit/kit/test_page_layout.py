"""The kit's layout and form macros, rendered: the header's menu for phones, attributes
rendered as attributes, required fields marked, the error summary taking the focus."""

from html.parser import HTMLParser
from types import SimpleNamespace

from starlette.requests import Request

from entraide.kit import i18n
from entraide.kit.web import templates_for

NAV = [("/familles", "Familles"), ("/familles/nouvelle", "Nouvelle famille")]


class Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's parser reads them."""

    def __init__(self, html: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))

    def with_id(self, id_: str) -> dict[str, str | None]:
        return next(attrs for _, attrs in self.found if attrs.get("id") == id_)


def render_form(source: str, errors: dict[str, str] | None = None) -> str:
    env = templates_for("entraide.intake", nav=NAV).env
    template = env.from_string('{% import "forms.html" as f %}' + source)
    return template.render(errors=errors or {})


def test_input_attributes_are_attributes_not_quoted_text() -> None:
    html = render_form(
        '{{ f.input("postal_code", "Code postal", errors, required=True,'
        ' attrs={"inputmode": "numeric", "maxlength": 5}) }}'
    )
    field = Elements(html).with_id("postal_code")
    assert field["inputmode"] == "numeric"
    assert field["maxlength"] == "5"
    assert "required" in field


def test_required_select_and_checkboxes_are_marked() -> None:
    html = render_form(
        '{{ f.select("association_id", "Association", [("a", "A")], errors, required=True) }}'
        '{{ f.checkboxes("consent", "Vos données", [("oui", "J\'accepte")], errors,'
        " required=True) }}"
    )
    assert 'Association <span aria-hidden="true">*</span></label>' in html
    assert "Vos données *" in html
    assert "required" in Elements(html).with_id("association_id")


def test_the_error_summary_takes_the_focus() -> None:
    html = render_form('{{ f.error_summary({"nom": "Indiquez le nom."}) }}')
    summary = Elements(html).with_id("erreurs")
    assert summary["tabindex"] == "-1"
    assert "autofocus" in summary
    assert render_form("{{ f.error_summary({}) }}").strip() == ""


def page(path: str, principal: object | None) -> Elements:
    env = templates_for("entraide.intake", nav=NAV).env
    request = SimpleNamespace(url=SimpleNamespace(path=path))
    return Elements(env.get_template("base.html").render(request=request, principal=principal))


def test_the_header_menu_opens_a_modal_with_the_account_and_the_navigation() -> None:
    signed_in = SimpleNamespace(name="Julien (PPM)", role_label="Équipe")
    found = page("/familles/nouvelle", signed_in)
    button = found.with_id("bouton-menu")
    assert button["aria-controls"] == "menu-principal"
    assert "fr-modal" in (found.with_id("menu-principal")["class"] or "")
    # the DSFR's script copies the tools links into the menu: they are there already
    assert [a.get("id") for _, a in found.found if (a.get("id") or "").startswith("compte")] == [
        "compte",
        "compte-mobile",
    ]
    current = [a["href"] for t, a in found.found if t == "a" and a.get("aria-current") == "page"]
    assert current == ["/familles/nouvelle"]  # the longest matching entry only
    assert [a["href"] for t, a in page("/familles/abc", None).found if "aria-current" in a] == [
        "/familles"
    ]


def test_signed_out_the_header_and_its_menu_offer_to_sign_in() -> None:
    found = page("/familles", None)
    sign_in = [a for t, a in found.found if t == "a" and a.get("href") == "/connexion"]
    assert len(sign_in) == 2  # the header's tools, the phone's menu


PUBLIC_NAV = [("/demander-aide", "Demander de l'aide"), ("/suivi", "Suivre ma demande")]


def served(public: bool, principal: object | None = None) -> Elements:
    """The layout as a route renders it: a public one (`public_language`) or a staff one."""
    env = templates_for(
        "entraide.intake", nav=NAV, public_nav=PUBLIC_NAV, public_home="/demander-aide"
    ).env
    request = Request({"type": "http", "method": "GET", "path": "/suivi", "headers": []})
    if public:
        request.state.language = i18n.FRENCH
    html = env.get_template("base.html").render(request=request, principal=principal)
    return Elements(html)


def hrefs(found: Elements) -> list[str]:
    return [a["href"] or "" for t, a in found.found if t == "a" and a.get("href")]


def test_a_public_page_shows_no_staff_link_and_its_logo_leads_to_a_public_page() -> None:
    """A parent on the door or /suivi saw « Se connecter / Familles / Nouvelle famille »
    and a logo leading to /, which sent them to the staff's sign-in."""
    links = hrefs(served(public=True))
    assert not [h for h in links if h.startswith(("/familles", "/connexion", "/a-confirmer"))]
    assert "/" not in links
    assert links.count("/demander-aide") >= 2  # the logo and the public menu
    assert "/suivi" in links


def test_a_staff_page_keeps_its_menu_and_sign_in() -> None:
    links = hrefs(served(public=False))
    assert "/connexion" in links
    assert "/familles" in links
    assert "/familles/nouvelle" in links
    assert "/" in links  # the logo
    assert "/demander-aide" not in links


def test_signed_in_a_public_page_still_offers_to_sign_out() -> None:
    signed_in = SimpleNamespace(name="Julien (PPM)", role_label="Équipe")
    found = served(public=True, principal=signed_in)
    assert [a.get("action") for t, a in found.found if t == "form"] == ["/deconnexion"] * 2
    assert "/familles" not in hrefs(found)
