"""The DPO's journal as sentences and the access export in words: no field names, slugs
or reprs, whatever an entry holds."""

from markupsafe import Markup

from entraide.privacy.entrypoints.http import labels
from entraide.privacy.entrypoints.http.readable import readable


def test_each_journal_entry_reads_as_a_french_sentence() -> None:
    sentences = [
        labels.sentence({"action": "case-opened", "kind": "erasure", "reason": "retention"}),
        labels.sentence(
            {"action": "ack-received", "service": "intake", "counts": {"keys": 1}}, "erasure"
        ),
        labels.sentence(
            {"action": "ack-received", "service": "directory", "counts": {}}, "erasure"
        ),
        labels.sentence({"action": "case-closed", "keys_destroyed": 0}, "erasure"),
        labels.sentence({"action": "case-escalated", "missing": ["matching", "directory"]}),
        labels.sentence({"action": "case-resolved", "decision": "not-applicable"}),
        labels.sentence({"action": "export-read", "form": "json"}),
        labels.sentence({"action": "case-refused", "kind": "access", "reason": "unknown-subject"}),
        labels.sentence({"action": "something-new"}),
    ]
    assert sentences == [
        "Dossier ouvert (effacement), durée de conservation échue.",
        "Accueil des familles a répondu : effacé (1 clé de chiffrement).",
        "Annuaire a répondu : rien à effacer.",
        "Dossier clos ; aucune clé restante à détruire.",
        "Relance en alerte : toujours sans réponse de Mise en relation, Annuaire.",
        "Dossier clos : sans objet.",
        "Export téléchargé (JSON).",
        "Ouverture refusée : référence inconnue.",
        "Action enregistrée.",
    ]
    assert labels.actor("dev-9ae404dd5ef850b0") == "Délégué à la protection des données"
    assert labels.actor("retention-sweep") == "Balayage de conservation (automatique)"
    assert labels.actor("matching") == "Mise en relation"


def test_only_an_erasure_closes_with_a_word_on_keys() -> None:
    # a rectification closed on its owner's answer read « Dossier clos ; aucune clé à
    # détruire. », as if a key could have been destroyed for a corrected phone number
    closed = {"action": "case-closed", "keys_destroyed": 0}
    for kind in ("rectification", "objection", "access"):
        assert labels.sentence(closed, kind) == "Dossier clos."
    assert labels.sentence(closed, "erasure") == "Dossier clos ; aucune clé restante à détruire."
    assert labels.sentence({**closed, "keys_destroyed": 1}, "erasure") == (
        "Dossier clos ; la clé de chiffrement de la personne est détruite."
    )


def test_a_services_answer_is_worded_by_its_cases_kind() -> None:
    # an access case's answers said « rien à effacer » for every service, export or not
    reads = {"family": 1, "record_reads": 3}
    assert labels.outcome("access", reads) == (
        "exporté (1 fiche de famille, 3 consultations de la fiche)"
    )
    assert labels.outcome("access", {}) == "rien à exporter"
    assert labels.outcome("erasure", {"families": 1, "requests": 2}) == (
        "effacé (1 fiche de famille, 2 demandes)"
    )
    assert labels.outcome("erasure", {}) == "rien à effacer"
    assert labels.outcome("objection", {}) == "rien à changer"
    assert labels.outcome("objection", {"families": 1, "requests": 1}) == (
        "accord pour la mise en relation retiré (1 fiche de famille, 1 demande)"
    )
    assert labels.outcome("rectification", {"families": 1}) == (
        "signalé à l'équipe pour rectification (1 fiche de famille)"
    )
    entry = {"action": "ack-received", "service": "intake", "counts": reads}
    assert labels.sentence(entry, "access") == (
        "Accueil des familles a répondu : exporté (1 fiche de famille, "
        "3 consultations de la fiche)."
    )
    entry = {"action": "ack-received", "service": "directory", "counts": {}}
    assert labels.sentence(entry, "access") == "Annuaire a répondu : rien à exporter."
    opened = {"action": "case-opened", "kind": "access", "reason": "rights-request"}
    assert labels.sentence(opened, "access") == (
        "Dossier ouvert (accès aux données), à la demande de la personne."
    )
    # every field an access part of the five services names is counted in words
    parts = ("family", "record_reads", "identity", "volunteers", "matches", "followups",
             "histories", "waitlist", "places", "subject", "notices", "cases", "episodes",
             "suppliers", "parked", "applicants", "notifications", "own_requests",
             "volunteer_links", "volunteer_lookups", "volunteer", "messages", "leaving")  # fmt: skip
    assert "autre" not in labels.counted(dict.fromkeys(parts, 2))


def test_the_access_export_reads_in_words() -> None:
    part = {
        "family_ref": "cTttTQvvEpdVTqzgbskXvA",
        "consent": {"matching": True, "collected_at": "2026-11-29T18:04:00+00:00"},
        "children_birth_years": [2016, 2019],
        "requests": [{"needs": ["parrainage-de-proximite"], "urgency": "high", "notes": None}],
        "score": 2.1,
        "availability": [{"day": "fr", "part": "evening"}],
        "languages": ["fr"],
    }
    assert readable(part) == {
        "Référence de la famille": Markup('<code class="reference">cTttTQvvEpdVTqzgbskXvA</code>'),
        "Accord du parent": {
            "Orientation vers un accompagnement": "oui",
            "Recueilli le": "29/11/2026 à\u00a019\u00a0h\u00a004",
        },
        "Années de naissance des enfants": ["2016", "2019"],
        "Demandes": [{"Besoins": ["Parrainage de proximité"], "Urgence": "élevée", "Notes": "—"}],
        "Score": "2,10",
        "Disponibilités": [{"Jour": "vendredi", "Moment": "soir"}],
        "Langues": ["français"],
    }


def test_what_a_walker_saw_as_code_reads_in_words() -> None:
    """Matching's copy of the request said « Âges des enfants 3-5 », its match « Bénévole ou
    action offer:efdd… », intake's request « Compte qui l'a enregistrée dev-7d4c… », and the
    observatory « Motif de l'attente » followed by nothing."""
    part = {
        "requests": [{"children_age_bands": ["0-2", "3-5", "6-10", "11-14", "15-17", "18+"],
                      "recorded_by": "dev-7d4ca97323a35487", "association_id": "afev"}],
        "matches": [{"support_key": "offer:efdd9e482fb4fc94733cef7f",
                     "association_id": "parrains-par-mille",
                     "request_id": "394a8e28592e4530a0c798557c11512e"},
                    {"support_key": "volunteer:8r5e39JqxI-bq5r0ub0ZhA"}],
        "episodes": [{"waitlist_reason": ""}],
        "family": {"possible_duplicates": 5, "recorded_by": None},
    }  # fmt: skip
    shown = readable(part)
    assert shown["Demandes"] == [
        {"Âges des enfants": ["0 à 2 ans", "3 à 5 ans", "6 à 10 ans", "11 à 14 ans",
                              "15 à 17 ans", "18 ans et plus"],
         "Compte qui l'a enregistrée": "un compte de l'équipe de l'association",
         "Association": "AFEV"}
    ]  # fmt: skip
    offer, volunteer = shown["Mises en relation"]
    assert offer["Bénévole ou action"] == "une action"
    assert offer["Association"] == "Parrains Par Mille"
    assert offer["Numéro de demande"] == "394a 8e28"  # as staff say it on the phone
    assert volunteer["Bénévole ou action"] == "un ou une bénévole"
    assert shown["Demandes suivies par l'observatoire"] == [{"Motif de l'attente": "—"}]
    assert shown["Fiche de la famille"] == {
        "Doublons possibles": "5",
        "Compte qui l'a enregistrée": "—",
    }


def test_what_the_family_sent_from_its_door_reads_in_words_not_codes() -> None:
    """A request sent from the family's door on an association's offer showed « Action
    choisie 5f0c2a9e41b7d3c8a6e1f094 » (directory's id: its title is directory's, intake
    keeps the id of the link), « Département 44 » and « Enregistrée par famille »."""
    part = {
        "own_requests": [{"association_id": "afev", "offer_id": "5f0c2a9e41b7d3c8a6e1f094",
                          "departement": "44"},
                         {"association_id": None, "offer_id": None, "departement": "2A"}],
        "requests": [{"channel": "family", "association_id": "parrains-par-mille"},
                     {"channel": "staff-form", "departement": "00"}],
        "volunteers": [{"departements": ["93", "75"]}],
    }  # fmt: skip
    shown = readable(part)
    chosen, without = shown["Demandes envoyées par la famille"]
    assert chosen == {"Association": "AFEV", "Action choisie": "une action de l'AFEV",
                      "Département": "Loire-Atlantique"}  # fmt: skip
    assert without == {"Association": "—", "Action choisie": "—", "Département": "Corse-du-Sud"}
    by_family, by_staff = shown["Demandes"]
    assert by_family["Origine de la demande"] == "la famille (formulaire de demande d'aide)"
    assert by_staff == {
        "Origine de la demande": "l'équipe de l'association (formulaire)",
        "Département": "00",
    }
    assert shown["Disponibilités connues de la mise en relation"] == [
        {"Départements": ["Seine-Saint-Denis", "Paris"]}
    ]


def test_a_prefixed_reference_without_a_digit_is_still_a_reference() -> None:
    # token_urlsafe(16) has no digit about once in forty: it was shown as the words
    # "volunteer:…" (the page scan caught the English word)
    shown = readable({"support_id": "volunteer:AbcDefGhiJklMnoPqrStuV", "word": "Nantes"})
    assert shown["support id"] == Markup(
        '<code class="reference">volunteer:AbcDefGhiJklMnoPqrStuV</code>'
    )
    assert shown["word"] == "Nantes"


def test_a_volunteers_part_reads_in_words() -> None:
    """Directory's part for a volunteer showed « applied », « not-requested », « sent »,
    « candidature-benevole » and the message's channel under « Enregistrée par » (a
    request's `channel`: directory names a message's `medium`); the observatory's copy of
    the application « none »."""
    part = {
        "volunteer": {"application": "applied", "honorability": "not-requested",
                      "active_families": 0, "applied_at": "2026-11-29T18:04:00+00:00",
                      "identity": {"prenom": "Camille", "canal": "sms"}},
        "messages": [{"_id": "candidature:W10ZGib3TtrsAlyA6KnT0g:1",
                      "template": "candidature-benevole", "medium": "email",
                      "recipient_ref": "W10ZGib3TtrsAlyA6KnT0g", "attempts": 1,
                      "outcome": "sent", "sent_at": "2026-11-29T18:05:00+00:00"},
                     {"template": "lien-connexion", "outcome": "failed",
                      "failed_at": "2026-11-29T18:06:00+00:00"}],
        "leaving": [{"asked_at": "2026-11-30T09:00:00+00:00", "answered": True}],
        "applicants": [{"status": "paused", "honorability": "none"}],
    }  # fmt: skip
    shown = readable(part)
    assert shown["Fiche de bénévole"] == {
        "Candidature": "reçue", "Attestation d'honorabilité": "pas encore demandée",
        "Familles accompagnées en ce moment": "0",
        "Candidature envoyée le": "29/11/2026 à\u00a019\u00a0h\u00a004",
        "Identité": {"Prénom": "Camille", "Reçoit les messages par": "SMS"},
    }  # fmt: skip
    sent, failed = shown["Messages du réseau"]
    assert sent["Objet"] == "où en est votre candidature de bénévole"
    assert sent["Envoyé par"] == "e-mail"
    assert sent["Référence du destinataire"] == Markup(
        '<code class="reference">W10ZGib3TtrsAlyA6KnT0g</code>'
    )
    assert (sent["Essais d'envoi"], sent["Issue"]) == ("1", "envoyé")
    assert failed == {
        "Objet": "votre lien pour entrer dans votre espace bénévole", "Issue": "non envoyé",
        "Envoi abandonné le": "29/11/2026 à\u00a019\u00a0h\u00a006",
    }  # fmt: skip
    assert shown["Demande d'effacement en quittant le réseau"] == [
        {"Demandée le": "30/11/2026 à\u00a010\u00a0h\u00a000",
         "Reçue par le délégué à la protection des données": "oui"}
    ]  # fmt: skip
    assert shown["Candidatures suivies par l'observatoire"] == [
        {"État": "en pause", "Attestation d'honorabilité": "pas demandée"}
    ]


def test_a_volunteers_application_and_check_read_by_their_field() -> None:
    """`approved` and `declined` say a volunteer's application in its own words (« acceptée
    », « non retenue »), not a match's; a check `pending` is not a case « en cours »; a
    match's outcome keeps its words beside a message's."""
    part = {"application": "declined", "honorability": "pending",
            "matches": [{"status": "declined", "outcome": "completed"}]}  # fmt: skip
    assert readable(part) == {
        "Candidature": "non retenue",
        "Attestation d'honorabilité": "demandée, pas encore validée",
        "Mises en relation": [{"État": "déclinée", "Issue": "accompagnement mené à son terme"}],
    }


def test_a_count_of_zero_on_the_case_page_reads_aucun_or_aucune() -> None:
    """The DPO's case page read « 0 contact noté », « 0 avertissement »: none of a thing
    is « aucun » (« aucune » for a feminine word) and the word singular."""
    assert labels.outcome("erasure", {"families": 1, "contacts": 0, "notices": 0}) == (
        "effacé (1 fiche de famille, aucun contact noté, aucun avertissement)"
    )
    assert labels.counted({"requests": 0, "keys": 2, "something-new": 0}) == (
        "aucune demande, 2 clés de chiffrement, aucun autre élément"
    )
