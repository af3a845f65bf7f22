"""One DSFR pager for every paged page (kit/pager.py, kit/templates/pagination.html):
directory's and matching's were two copies, and matching's spoke French only, its links
keeping an empty filter out where directory's search kept `q=` and the like."""

import re

import pytest

from entraide.kit import i18n
from entraide.kit.pager import pager
from entraide.kit.web import templates_for

# language → « Page précédente », « Page suivante » and page 2's title
WORDS = {
    "fr": ("Page précédente", "Page suivante", "Page 2"),
    "en": ("Previous page", "Next page", "Page 2"),
    "ar": ("الصفحة السابقة", "الصفحة التالية", "الصفحة 2"),
    "pt": ("Página anterior", "Página seguinte", "Página 2"),
    "ro": ("Pagina anterioară", "Pagina următoare", "Pagina 2"),
}


def test_the_links_keep_the_filters_but_not_an_empty_one_nor_the_page() -> None:
    paging = pager(5, 12, {"etat": "hidden", "q": "", "page": "5", "lieu": "Rezé"})
    assert paging["shown"] == [1, 3, 4, 5, 6, 7, 12]
    assert paging["url"](6) == "?etat=hidden&lieu=Rez%C3%A9&page=6"
    assert pager(1, 2, {})["url"](2) == "?page=2"
    assert pager(2, 3, {})["shown"] == [1, 2, 3]


@pytest.mark.parametrize("package", ["entraide.directory", "entraide.matching"])
@pytest.mark.parametrize("code", sorted(WORDS))
def test_the_pager_speaks_the_pages_language_in_every_service(package: str, code: str) -> None:
    env = templates_for(package).env
    token = i18n._current.set(i18n.LANGUAGES[code])
    try:
        html = env.get_template("pagination.html").render(
            paging=pager(2, 3, {"etat": "hidden"}), pages_label="Pages d'actions"
        )
    finally:
        i18n._current.reset(token)
    previous, following, second = WORDS[code]
    ends = r'<a class="fr-pagination__link fr-pagination__link--(prev|next)[^"]*" href="([^"]*)">'
    links = {side: (href, text) for side, href, text in re.findall(ends + "([^<]+)<", html)}
    assert links == {
        "prev": ("?etat=hidden&amp;page=1", previous),
        "next": ("?etat=hidden&amp;page=3", following),
    }
    assert f'aria-current="page" title="{second}"' in html
    assert 'aria-label="Pages d&#39;actions"' in html
