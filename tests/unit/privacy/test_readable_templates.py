"""A person's access copy says what each message the network sent them was about, in
words: never a template's name (« demande-non-retenue »)."""

from entraide.kit.notifications.templates import PUBLIC_TEMPLATES
from entraide.privacy.entrypoints.http import readable_fields


def test_every_message_a_person_receives_has_its_words_in_the_copy() -> None:
    missing = set(PUBLIC_TEMPLATES) - set(readable_fields.TEMPLATES)
    assert not missing, f"no words in privacy's readable copy for {sorted(missing)}"
