"""The public form « Demander de l'aide »: what the parent typed, checked field by field,
in French; the commune against the network's geography; no error quotes the input."""

from datetime import UTC, datetime

from entraide.contracts.labels import NEEDS
from entraide.contracts.vocab import Need
from entraide.intake.entrypoints.http import family_door_form as door_form
from entraide.kit import messages
from entraide.kit.i18n import Catalogs

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
ASSOCIATIONS = {"parrains-par-mille": "Parrains Par Mille"}


def typed(**changes: object) -> dict[str, object]:
    values = door_form.values_of(
        {
            "parent.first_name": "Awa",
            "parent.last_name": "Traoré",
            "parent.phone": "06 98 76 54 32",
            "ages": "3, 7",
            "postal_code": "44000",
            "commune": "nantes",
            "needs": ["repit-garde-ponctuelle"],
            "contact_preferences": ["sms"],
            "availability": ["mo-morning"],
            "consent.matching": "oui",
            "association_id": "parrains-par-mille",
            "offer_id": "offre-42",
        }
    )
    return values | changes


def test_a_well_filled_form_is_a_submission_with_birth_years_and_the_communes_name() -> None:
    parsed = door_form.parse(typed(), associations=ASSOCIATIONS, now=NOW)
    assert parsed.errors == {}
    found = parsed.submission
    assert found is not None
    assert found.children_birth_years == [2019, 2023]
    assert found.commune == "Nantes"  # the geography's spelling
    assert found.needs == [Need.REPIT_GARDE]
    assert (found.association_id, found.offer_id) == ("parrains-par-mille", "offre-42")


def test_each_mistake_is_named_beside_its_field_in_french() -> None:
    parsed = door_form.parse(
        typed(
            ages="trois",
            postal_code="4401",
            needs=[],
            **{"consent.matching": False, "parent.first_name": ""},
        ),
        associations=ASSOCIATIONS,
        now=NOW,
    )
    assert parsed.submission is None
    assert parsed.errors["ages"].startswith("Écrivez les âges en chiffres")
    assert parsed.errors["postal_code"].startswith("Code postal invalide")
    assert parsed.errors["needs"] == "Choisissez au moins une aide."
    assert parsed.errors["consent.matching"].startswith("Cochez la case")
    assert parsed.errors["parent.first_name"] == "Indiquez votre prénom."
    assert not any("trois" in m or "4401" in m for m in parsed.errors.values())


def test_too_many_children_or_languages_says_how_many_at_most() -> None:
    """Not « Trop de choix. », which names no limit and, for ages typed in one box, no
    choice either."""
    ages = ", ".join(str(n % 18) for n in range(16))
    languages = ["fr", "ar", "en", "es", "pt", "ro", "tr", "wo", "bm", "ln", "ta"]
    parsed = door_form.parse(
        typed(ages=ages, languages=languages), associations=ASSOCIATIONS, now=NOW
    )
    assert parsed.errors == {
        "ages": "Indiquez l'âge de 15 enfants au plus.",
        "languages": "Cochez 10 langues au plus.",
    }


def test_an_empty_form_names_each_missing_field_in_every_language_of_the_door() -> None:
    """Each error of the door is a sentence of intake's catalogs, translated in every
    language of the door and in easy French: no generic « Ce champ est obligatoire. »
    (in no public catalog, it read in French on a Romanian page and named nothing)."""
    parsed = door_form.parse(door_form.values_of({}), associations=ASSOCIATIONS, now=NOW)
    assert parsed.submission is None
    assert parsed.errors["parent.first_name"] == "Indiquez votre prénom."
    assert parsed.errors["parent.last_name"] == "Indiquez votre nom de famille."
    assert parsed.errors["commune"] == "Indiquez la commune où vous habitez."
    # an empty postal code was « invalide » (« Le code postal est faux. » in easy French)
    assert parsed.errors["postal_code"] == "Indiquez votre code postal."
    assert messages.REQUIRED not in parsed.errors.values()
    catalogs = Catalogs(["entraide.kit", "entraide.intake"])
    for code in ("en", "ar", "pt", "ro", "falc"):
        for name, sentence in parsed.errors.items():
            assert catalogs.gettext_in(code, sentence) != sentence, (code, name, sentence)
    ro = {name: catalogs.gettext_in("ro", m) for name, m in parsed.errors.items()}
    assert ro["parent.first_name"] == "Scrieți prenumele dumneavoastră."
    assert ro["parent.last_name"] == "Scrieți numele de familie."
    assert ro["commune"] == "Scrieți localitatea în care locuiți."
    easy = {name: catalogs.gettext_in("falc", m) for name, m in parsed.errors.items()}
    assert easy["parent.first_name"] == "Écrivez votre prénom."
    assert easy["postal_code"] == "Écrivez votre code postal."


def test_the_way_to_be_called_back_needs_its_number_or_address() -> None:
    no_phone = typed(**{"parent.phone": ""})
    parsed = door_form.parse(no_phone, associations=ASSOCIATIONS, now=NOW)
    assert parsed.errors == {"parent.phone": door_form.MESSAGES[("parent.phone", "missing")]}
    by_mail = typed(contact_preferences=["email"])
    parsed = door_form.parse(by_mail, associations=ASSOCIATIONS, now=NOW)
    assert "parent.email" in parsed.errors
    parsed = door_form.parse(typed(contact_preferences=[]), associations=ASSOCIATIONS, now=NOW)
    assert parsed.errors["contact_preferences"].startswith("Choisissez comment")


def test_each_chosen_written_channel_is_checked_with_the_other_mistakes() -> None:
    """SMS and e-mail chosen, neither given: both fields are named (the first only was); a
    missing address is named beside the other fields' mistakes, not on a second try."""
    neither = typed(contact_preferences=["sms", "email"], **{"parent.phone": ""})
    parsed = door_form.parse(neither, associations=ASSOCIATIONS, now=NOW)
    assert parsed.errors == {
        "parent.phone": door_form.MESSAGES[("parent.phone", "missing")],
        "parent.email": door_form.MESSAGES[("parent.email", "missing")],
    }
    with_mistakes = typed(ages="trois", contact_preferences=["email"], needs=[])
    parsed = door_form.parse(with_mistakes, associations=ASSOCIATIONS, now=NOW)
    assert set(parsed.errors) == {"ages", "needs", "parent.email"}


def test_the_commune_must_be_one_of_the_postal_codes() -> None:
    assert door_form.commune_named("44000", "NANTES") == "Nantes"
    assert door_form.commune_named("93200", "st denis") == "Saint-Denis"
    assert door_form.commune_named("58000", "Nevers") == "Nevers"
    parsed = door_form.parse(typed(commune="Paris"), associations=ASSOCIATIONS, now=NOW)
    assert parsed.errors["commune"].startswith("Cette commune ne correspond pas")


def test_an_unknown_association_or_offer_is_dropped_not_an_error() -> None:
    parsed = door_form.parse(
        typed(association_id="inconnue", offer_id="<script>"), associations=ASSOCIATIONS, now=NOW
    )
    assert parsed.submission is not None
    assert (parsed.submission.association_id, parsed.submission.offer_id) == (None, None)


def test_the_easy_french_door_words_every_kind_of_help_in_everyday_words() -> None:
    """In easy French (FALC) the door's choices of help are not the network's own terms
    (« Grand-parrainage », « Soutien à la parentalité »): each says what the help is."""
    catalogs = Catalogs(["entraide.kit", "entraide.intake"])
    easy = {need: catalogs.gettext_in("falc", NEEDS[need]) for need in Need}
    assert all(easy[need] != NEEDS[need] for need in Need), easy
    assert easy[Need.ACCOMPAGNEMENT_SCOLAIRE] == "Aide pour les devoirs"
