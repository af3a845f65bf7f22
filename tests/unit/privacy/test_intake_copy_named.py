"""Every field intake shows in a person's copy (`personal_copy.SHOWN`) has a name on the
export page, or the page leaves it out: one shown with neither reads as code (the
fresh-clone CI of acf3bc1 caught `owed` and `owed_to` so, in test_public_rights_door)."""

from entraide.intake.domain.personal_copy import SHOWN
from entraide.privacy.entrypoints.http.readable import FIELDS
from entraide.privacy.entrypoints.http.readable_others import HIDDEN


def test_every_field_intake_shows_in_a_copy_is_named_on_the_export_page() -> None:
    unnamed = {
        f"{record.__name__}.{name}"
        for record, shown in SHOWN.items()
        for name in shown - set(FIELDS) - HIDDEN
    }
    assert not unnamed, f"name them in privacy's readable.py (FIELDS): {sorted(unnamed)}"
