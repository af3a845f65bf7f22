"""What directory tells a volunteer promises no call: the form asks no phone (« Facultatif »)
and offers no « call me » choice, so a volunteer who gave only an e-mail would wait for a
call that never comes. The association « prend contact »; only the proposal's message may
say « appeler », and only to one who gave a phone and chose it (`volunteer_news.by_call`)."""

import re
from pathlib import Path

from entraide.directory import app
from entraide.directory.entrypoints.http.volunteers import space_words
from entraide.kit import notifications

TEMPLATES = Path(app.__file__).parent / "templates"
# the pages a would-be or current volunteer reads: the form, its thanks, their space
PAGES = ("benevole.html", "benevole_merci.html", "espace-benevole*.html")
# what directory sends them through the kit, but the proposal (it says « appeler » to one
# who chose it, `by_phone`)
MESSAGES = Path(notifications.__file__).parent / "templates"
SENT = ("candidature-benevole.txt", "conservation-benevole-*.txt", "lien-connexion.txt")
# « vous rappelle », « va vous appeler », « vous appellera », « vous téléphonera »
CALL = re.compile(r"\b(?:r?appel(?:le|lera|leront|er)|téléphoner(?:a|ont)?)\b", re.IGNORECASE)


def read(folder: Path, patterns: tuple[str, ...]) -> dict[str, str]:
    return {
        p.name: p.read_text(encoding="utf-8") for pattern in patterns for p in folder.glob(pattern)
    }


def test_no_page_or_message_a_volunteer_reads_promises_a_call() -> None:
    texts = read(TEMPLATES, PAGES) | read(MESSAGES, SENT)
    texts |= {f"space:{k}": v for k, v in space_words.STATUS_SENTENCES.items()}
    texts |= {f"done:{k}": v for k, v in space_words.DONE.items()}
    assert {"benevole.html", "espace-benevole.html", "candidature-benevole.txt"} <= texts.keys()
    found = {name: m.group(0) for name, text in texts.items() if (m := CALL.search(text))}
    assert found == {}


def test_the_check_finds_a_promised_call_and_lets_contact_be() -> None:
    assert CALL.search("L'association choisie vous rappelle pour vous rencontrer.")
    assert CALL.search("l'association va vous appeler")
    assert CALL.search("elle vous téléphonera")
    assert not CALL.search("L'association choisie prend contact avec vous.")
    assert not CALL.search("Par SMS au téléphone indiqué, plutôt que par courriel")
