from collections import Counter

from entraide.directory.domain.associations import ASSOCIATIONS
from entraide.directory.domain.offers.demo import demo_offers


def test_demo_offers_cover_the_five_territories_with_associations_that_have_a_branch_there():
    offers = list(demo_offers())
    assert Counter(o.zone_eligibilite[0] for _, o in offers).keys() == {
        "75",
        "93",
        "44",
        "59",
        "58",
    }
    for association, offer in offers:
        assert ASSOCIATIONS[association].branch_for(offer.zone_eligibilite[0]) is not None
        assert "example.org" in (offer.courriel or "")


def test_no_association_has_two_demo_actions_of_the_same_name():
    """The walk saw Parrains Par Mille's four Nantes actions (44000, 44100, 44200, 44300)
    as four identical « Parrainage de proximité — Nantes »: a quarter tells them apart."""
    names = Counter((association, offer.nom) for association, offer in demo_offers())
    assert [name for name, count in names.items() if count > 1] == []
    nantes = [o for a, o in demo_offers() if a == "parrains-par-mille" and o.commune == "Nantes"]
    assert len({(o.age_min, o.age_max, o.horaires_accueil) for o in nantes}) > 1


def test_the_demo_actions_say_the_association_answers_not_that_it_calls_back():
    """« Écrire à Grands Parrains Nantes, qui vous rappelle sous une semaine. » under an
    e-mail address alone: a parent who writes gives no number, so no call can follow."""
    for _, offer in demo_offers():
        assert offer.telephone is None  # the demo's actions give an e-mail only
        assert "rappelle" not in (offer.modalites_acces or ""), offer.modalites_acces
        assert "répond sous une semaine" in (offer.modalites_acces or "")
