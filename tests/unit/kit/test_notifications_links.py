"""A link in a message opens its page in the message's language (`opened_in`)."""

from entraide.kit.notifications import opened_in


def test_a_link_opens_its_page_in_the_messages_language() -> None:
    assert opened_in("https://x.fr/espace", "fr") == "https://x.fr/espace"  # the default
    assert opened_in("https://x.fr/espace", "ar") == "https://x.fr/espace?lang=ar"
    link = opened_in("https://x.fr/connexion?jeton=a-b_c", "pt")
    assert link == "https://x.fr/connexion?jeton=a-b_c&lang=pt"
