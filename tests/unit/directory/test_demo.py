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
