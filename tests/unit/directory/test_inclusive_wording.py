"""Directory's pages speak to women and men alike: no participle in the masculine alone
after « vous » (« vous serez proposé », « vous êtes inscrit »); a sentence is turned
instead (« on ne vous proposera plus », « votre inscription »)."""

import re
from pathlib import Path

from entraide.directory import app

TEMPLATES = Path(app.__file__).parent / "templates"
# « vous [ne] serez/êtes/avez été [plus/bien/déjà] <participle> », the participle neither
# feminine, plural nor written inclusively (« inscrit·e »)
MASCULINE = re.compile(
    r"\bvous\s+(?:ne\s+|n')?(?:serez|êtes|seriez|avez\s+été|serez\s+bientôt)\s+"
    r"(?:plus\s+|bien\s+|déjà\s+|pas\s+)?"
    r"(proposé|inscrit|contacté|prévenu|informé|accompagné|invité|connecté|retenu|choisi)"
    r"(?![e·s\w])",
    re.IGNORECASE,
)


def test_no_template_addresses_the_reader_in_the_masculine_alone():
    found = [
        f"{page.name}: {match.group(0)}"
        for page in sorted(TEMPLATES.glob("*.html"))
        for match in MASCULINE.finditer(page.read_text(encoding="utf-8"))
    ]
    assert found == []


def test_the_check_finds_the_masculine_and_lets_the_turned_sentence_be():
    assert MASCULINE.search("Vous ne serez plus proposé à aucune famille")
    assert MASCULINE.search("vous êtes inscrit")
    assert not MASCULINE.search("On ne vous proposera plus aucune famille")
    assert not MASCULINE.search("vous êtes inscrit·e")
