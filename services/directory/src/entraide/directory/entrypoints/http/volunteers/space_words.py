"""What the volunteer's space says in sentences, in French (the catalogs translate them:
`locales/words.txt`): what their application's status means for them, and what the change
they just made did.

Each says only what is true of them: back from a pause, families are promised only to a
volunteer matching may propose one to (the page then says why not).
"""

# what the application's status means for the volunteer (its word: `status_words`)
STATUS_SENTENCES = {
    "applied": "Votre candidature est reçue : l'association va vous contacter.",
    "in-review": "L'association vérifie votre candidature (rencontre, attestation d'honorabilité).",
    "approved": "Vous êtes bénévole : l'association peut vous proposer une famille.",
    "paused": "Aucune nouvelle famille ne vous est proposée pendant la pause.",
    "left": "Vous avez quitté le réseau.",
}
DONE = {
    "pause": "Votre pause est enregistrée : aucune nouvelle famille ne vous sera proposée.",
    "reprise": "Bon retour : les familles peuvent de nouveau vous être proposées.",
    "offre": "Vos disponibilités, langues et savoir-faire sont enregistrés.",
}
# back from a pause when no family may be proposed yet (check to renew, no place left)
BACK = "Bon retour : votre pause est finie."


def done(action: str, *, proposable: bool) -> list[dict[str, str]]:
    """The flash after a change (none for an action it does not know); `proposable`:
    whether matching may now propose them a family."""
    if action not in DONE:
        return []
    text = BACK if action == "reprise" and not proposable else DONE[action]
    return [{"level": "success", "text": text}]
