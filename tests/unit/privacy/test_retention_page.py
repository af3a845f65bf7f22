"""The DPO's retention page says how many people the sweep would erase as French: « 1
famille », « 2 bénévoles », « aucune » when there is none; it read « À effacer (Famille) :
0 », a label with the kind in parentheses and a bare zero."""

from collections import Counter
from datetime import UTC, datetime

from entraide.contracts import labels as shared
from entraide.kit.web import templates_for
from entraide.privacy.entrypoints.http import labels
from entraide.privacy.usecases.sweep import SweepReport
from tests.page_text import text_of

NOW = datetime(2026, 12, 1, 19, 30, tzinfo=UTC)


def page(**expired: int) -> str:
    report = SweepReport(NOW, dry_run=True, registered=Counter(family=40, volunteer=12))
    report.expired.update(expired)
    context = {"labels": labels, "shared": shared, "request": None, "csrf": "t"}
    context |= {"report": report, "stats": [], "ran": False}
    return text_of(
        templates_for("entraide.privacy").env.get_template("conservation.html").render(context)
    )


def test_the_people_to_erase_are_counted_in_words_with_their_kinds() -> None:
    said = page(family=1, volunteer=2)
    assert "Personnes à effacer : 3 (1 famille, 2 bénévoles)" in said
    assert "À effacer (" not in said


def test_a_kind_with_nobody_to_erase_is_left_out_not_counted_zero() -> None:
    said = page(family=0, volunteer=3)
    assert "Personnes à effacer : 3 (3 bénévoles)" in said  # no « 0 famille, »


def test_nobody_to_erase_reads_aucune() -> None:
    said = page(family=0, volunteer=0)
    assert "Personnes à effacer : aucune" in said
    assert "effacer : 0" not in said
