"""The access export in the person's language: the public page reads its field names, its
words, yes and no, numbers and times in the language of the page (through privacy's
catalogs); the DPO's page keeps reading it in French. Every word it can show is translated
in each language of the public pages."""

from functools import partial

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from markupsafe import Markup

from entraide.contracts.vocab import WRITTEN_LANGUAGES
from entraide.kit.i18n import Catalogs, locale_for
from entraide.kit.i18n_catalogs import TRANSLATED, catalog_path, extracted
from entraide.privacy.entrypoints.http import labels
from entraide.privacy.entrypoints.http.readable import (
    AGES,
    BY_FIELD,
    DAYS,
    DECLINED,
    FIELDS,
    NO,
    STAGES,
    VIA,
    WAITING,
    WORDS,
    YES,
    Reader,
    document,
    readable,
)
from entraide.privacy.entrypoints.http.readable_others import (
    AN_ACTION_OF,
    BY_AN_EVENT,
    NOT_STAFF,
    STAFF_ACCOUNT,
)

CATALOGS = Catalogs(["entraide.kit", "entraide.privacy"])
PART = {
    "family_ref": "cTttTQvvEpdVTqzgbskXvA",
    "consent": {"matching": True, "sharing": False, "collected_at": "2026-11-29T18:04:00+00:00"},
    "requests": [{"needs": ["parrainage-de-proximite"], "urgency": "high", "status": "submitted"}],
    "availability": [{"day": "fr", "part": "evening"}],
    "languages": ["fr"],
    "score": 1234.5,
}


def reader(code: str) -> Reader:
    return Reader(partial(CATALOGS.gettext_in, code), locale_for(code))


def test_a_part_of_the_export_reads_in_portuguese_on_the_public_page() -> None:
    assert readable(PART, reader=reader("pt")) == {
        "Referência da família": Markup('<code class="reference">cTttTQvvEpdVTqzgbskXvA</code>'),
        "Acordo do pai ou da mãe": {
            "Encaminhamento para um apoio": "sim",
            "Partilha com outra associação": "não",
            "Recolhido em": "29/11/2026 19:04",
        },
        "Pedidos": [
            {"Necessidades": ["Apadrinhamento de proximidade"], "Urgência": "alta",
             "Estado": "registado"}
        ],
        "Disponibilidade": [{"Dia": "sexta-feira", "Parte do dia": "noite"}],
        "Línguas": ["francês"],
        "Pontuação": "1\xa0234,50",
    }  # fmt: skip


def test_the_same_part_reads_in_arabic_with_its_numbers_and_in_french_for_the_dpo() -> None:
    arabic = readable(PART, reader=reader("ar"))
    french = readable(PART)

    assert arabic["موافقة الوالد أو الوالدة"]["التوجيه نحو مرافقة"] == "نعم"
    assert arabic["الطلبات"][0]["درجة الاستعجال"] == "مرتفعة"
    assert arabic["الدرجة"] == "1,234.50"
    assert french["Accord du parent"] == {
        "Orientation vers un accompagnement": "oui",
        "Partage avec une autre association": "non",
        "Recueilli le": "29/11/2026 à\u00a019\u00a0h\u00a004",
    }
    assert french["Demandes"] == [
        {"Besoins": ["Parrainage de proximité"], "Urgence": "élevée", "État": "enregistrée"}
    ]


def test_a_reason_code_reads_as_the_reason_its_field_gives() -> None:
    """`too-far` is a reason to wait (no one near enough) and to decline (too far in
    practice): each field says its own, in the page's language."""
    part = {"waitlist_reason": "too-far", "declined": [{"reason": "too-far"}]}
    assert readable(part) == {
        "Motif de l'attente": "Personne à distance raisonnable",
        "Propositions déclinées": [{"Motif": "Trop loin en pratique"}],
    }
    english = readable(part, reader=reader("en"))
    assert english["Reason for waiting"] == "No one within a reasonable distance"


def test_a_read_of_the_record_says_from_where_and_no_staff_account_or_name() -> None:
    """Intake's audit entries (`record_reads`): where the record was opened reads as words,
    not `api`; who read it is « un compte de l'équipe de l'association » beside the
    association, never the account's code nor the staff member's name (the README's
    promise; the walker read « Conta dev-7d4c… », « Nome da pessoa Julien (PPM) »)."""
    entry = {"actor": "kc-5f0e2a9c41", "actor_name": "Awa Traoré", "role": "staff",
             "association_id": "parrains-par-mille", "action": "family.read", "via": "api",
             "family_id": "11e13281e1654404a580b16f784b6005"}  # fmt: skip
    event = {"actor": "system", "role": "system", "action": "family.share",
             "via": "event:3664011d-1bd2-4c55-9d51-2f8a0c6e1b70"}  # fmt: skip
    assert readable({"record_reads": [entry, event]}) == {
        "Consultations de la fiche": [
            {"Compte": "un compte de l'équipe de l'association", "Rôle": "Équipe",
             "Association": "Parrains Par Mille", "Action": "consultation",
             "Depuis": "le logiciel de l'association"},
            {"Compte": "automatique", "Rôle": "automatique",
             "Action": "fiche ouverte à l'association de la mise en relation",
             "Depuis": "un autre service du réseau"},
        ]
    }  # fmt: skip
    portuguese = readable(entry, reader=reader("pt"))
    assert portuguese["Conta"] == "uma conta da equipa da associação"
    assert "Awa Traoré" not in str(portuguese)
    assert readable(event, reader=reader("en"))["From"] == "another service of the network"


def test_the_action_chosen_at_the_door_reads_as_its_associations_in_the_page_language() -> None:
    """The offer a family chose on the door showed as directory's id in every language."""
    part = {"offer_id": "5f0c2a9e41b7d3c8a6e1f094", "association_id": "fondation-pour-l-enfance",
            "departement": "93", "channel": "family"}  # fmt: skip
    assert readable(part, reader=reader("pt")) == {
        "Ação escolhida": "uma atividade da associação Fondation pour l'Enfance",
        "Associação": "Fondation pour l'Enfance", "Departamento": "Seine-Saint-Denis",
        "Origem do pedido": "a família (formulário de pedido de ajuda)",
    }  # fmt: skip
    assert readable(part)["Action choisie"] == "une action de la Fondation pour l'Enfance"
    assert "5f0c2a9e41b7d3c8a6e1f094" not in str(readable(part, reader=reader("en")))


def test_what_intake_and_matching_wrote_in_french_reads_in_the_persons_language() -> None:
    """The walker's Portuguese copy read « Recolhido por: la famille (formulaire public) »,
    « Notas: À rappeler : depois das 18 h Message de la famille : … » and matching's
    « urgence faible »: intake's words are translated (her own stay), matching's French
    reasons are left out of a copy in another language, a staff member's name too."""
    part = {
        "consent": {"collected_by": "la famille (formulaire public)"},
        "other_consent": {"collected_by": "Julien (PPM)"},
        "requests": [{"notes": "À rappeler : depois das 18 h\nMessage de la famille : Sozinha."}],
        "matches": [{"reasons": ["même département", "urgence faible"], "score": 0.5}],
    }
    portuguese = readable(part, reader=reader("pt"))
    assert portuguese["Acordo do pai ou da mãe"] == {
        "Quem o recolheu": "a família (formulário de pedido de ajuda)"
    }
    assert portuguese["other consent"] == {"Quem o recolheu": "uma conta da equipa da associação"}
    assert portuguese["Pedidos"] == [
        {"Notas": "Momentos para voltar a ligar: depois das 18 h\nMensagem: Sozinha."}
    ]
    assert portuguese["Ligações a um apoio"] == [{"Pontuação": "0,50"}]
    french = readable(part)
    assert french["Demandes"] == [
        {"Notes": "Moments pour rappeler : depois das 18 h\nMessage : Sozinha."}
    ]
    assert french["Mises en relation"][0]["Raisons"] == ["même département", "urgence faible"]


def test_bookkeeping_is_left_out_and_a_request_reads_as_its_short_reference() -> None:
    """Event numbers, the events a read model saw and internal ids mean nothing to the
    person (« Identificador 938b… », « Número do evento e191… », « Eventos recebidos »); a
    request is named as staff name it on the phone."""
    part = {
        "requests": [{"_id": "938ba7d5f7844a49a221b9fa6378e5eb", "status": "open",
                      "last_event_id": "e191b7dc-83a6-4b8e-9a41-0c2d3e4f5a6b"}],
        "episodes": [{"request_id": "1f31fce9a0b44c1d8e2f3a4b5c6d7e8f",
                      "seen": ["e191b7dc-83a6-4b8e-9a41-0c2d3e4f5a6b"],
                      "event_id": "e191b7dc-83a6-4b8e-9a41-0c2d3e4f5a6b"}],
    }  # fmt: skip
    assert readable(part, reader=reader("pt")) == {
        "Pedidos": [{"Estado": "aberto"}],
        "Pedidos acompanhados pelo observatório": [{"Número do pedido": "1f31 fce9"}],
    }


def test_ages_supports_and_accounts_read_as_words_in_the_page_language() -> None:
    """Matching's copy of a request and its match (`3-5`, `offer:<id>`) and intake's
    `recorded_by` (a staff account) read as words, not codes, in the page's language."""
    part = {
        "requests": [{"children_age_bands": ["3-5", "18+"], "recorded_by": "dev-7d4ca97323a35487"}],
        "matches": [{"support_key": "offer:efdd9e482fb4fc94733cef7f",
                     "association_id": "parrains-par-mille"},
                    {"support_key": "volunteer:8r5e39JqxI-bq5r0ub0ZhA"}],
    }  # fmt: skip
    english = readable(part, reader=reader("en"))
    assert english["Requests"] == [
        {"Children's ages": ["3 to 5 years", "18 years and over"],
         "Account that recorded it": "an account of the association's team"}
    ]  # fmt: skip
    assert [m["Volunteer or activity"] for m in english["Matches with support"]] == [
        "an activity",
        "a volunteer",
    ]
    assert english["Matches with support"][0]["Association"] == "Parrains Par Mille"
    portuguese = readable(part, reader=reader("pt"))
    assert portuguese["Pedidos"][0]["Idades dos filhos"] == ["3 a 5 anos", "18 anos ou mais"]
    assert portuguese["Ligações a um apoio"][1]["Voluntário ou atividade"] == (
        "um voluntário ou uma voluntária"
    )


def test_the_export_says_the_day_it_was_made_in_the_page_language() -> None:
    export = {"generated_at": "2026-11-29T18:04:00+00:00", "services": {"intake": PART}}

    assert document(export, reader("ro"))["generated_on"] == "29 noiembrie 2026"
    assert document(export, reader("pt"))["generated_on"] == "29 de novembro de 2026"
    assert document(export)["generated_on"] == "29 novembre 2026"
    assert "Acordul părintelui" in document(export, reader("ro"))["services"]["intake"]
    assert "Accord du parent" in document(export)["services"]["intake"]


def test_each_written_language_has_its_numbers_and_months_way() -> None:
    for code in WRITTEN_LANGUAGES:  # each one Babel knows, with its own numbers
        assert Locale.parse(locale_for(code)).number_symbols


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_word_the_export_page_can_show_is_translated(code: str) -> None:
    """The fields' names, the values' words, the days, yes and no, the services' names and
    the template's sentences: each in the catalog, translated (not fuzzy)."""
    template = {
        m.id
        for m in extracted("entraide.privacy")
        if m.id and any(location.endswith("export.html") for location, _ in m.locations)
    }
    words = {*FIELDS.values(), *WORDS.values(), *DAYS.values(), *labels.SERVICES.values()}
    words |= {*WAITING.values(), *DECLINED.values(), *VIA.values(), *STAGES.values()}
    words |= {*AGES.values(), STAFF_ACCOUNT, BY_AN_EVENT, AN_ACTION_OF, *NOT_STAFF.values()}
    words |= {word for by_field in BY_FIELD.values() for word in by_field.values()}
    with catalog_path("entraide.privacy", code).open("rb") as po:
        catalog = read_po(po)
    held = {m.id: m.string for m in catalog if m.id and not m.fuzzy}

    assert len(template) >= 8, "the template's texts are marked for translation"
    assert [text for text in sorted(template | words | {YES, NO}) if not held.get(text)] == []
