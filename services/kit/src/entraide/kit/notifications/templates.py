"""The notifications' texts: one Jinja template per kind in `templates/`, each with three
blocks: `subject` and `email` (the e-mail) and `sms` (the text message, short).

French first: `templates/<kind>.txt`. The messages a family receives are also written in
each language of the public doors, `templates/<language>/<kind>.txt` (whole messages, not
sentences put together: each language's word order is its own); a kind or a language with
no such file reads in French. Dates read as `kit.formats` writes them (Paris time), a long
date with its month in the message's language. A missing context value is an error, never
an empty hole in a message sent to a person.
"""

from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, TemplateNotFound

from entraide.kit.formats import ZONE, clock, day_and_clock, hour, install, listed, long_day
from entraide.kit.i18n import locale_for
from entraide.kit.notifications import FRENCH, LANGUAGES, Channel

# the kinds services may send; each is `templates/<name>.txt`
TEMPLATES = (
    "demande-recue",  # the family's request received, with its follow-up code
    "demande-suite",  # its outcome: an association will call
    "demande-non-retenue",  # ...or not kept: out of the network's reach, or not reached
    "accompagnement-interrompu",  # the support agreed went, not by the family's doing
    "conservation-mois",  # retention warning a month ahead
    "conservation-semaine",  # ...and a week ahead
    "conservation-benevole-mois",  # a volunteer's retention warning a month ahead
    "conservation-benevole-semaine",  # ...and a week ahead
    "candidature-benevole",  # the volunteer's application status
    "proposition-benevole",  # a family the volunteer is proposed to (no family's data)
    "lien-connexion",  # the volunteer's sign-in link
    "code-contact",  # a contact-proof code
    "droits-export",  # privacy: the link to a person's access export (rights channel)
    "droits-effacement",  # privacy: a person's erasure is done (its last message)
    "droits-reponse",  # privacy: the outcome of their rectification or objection
    "synthese-coordination",  # the coordinator's daily digest
    "rappel-offre",  # the association's reminder to confirm a stale offer
    "demandes-a-confirmer",  # intake: families' own requests waiting for staff, counted
)
# what a family, a volunteer or a person at the public rights channel receives: written
# in every language of `LANGUAGES` (a unit test checks)
PUBLIC_TEMPLATES = (
    *("demande-recue", "demande-suite", "demande-non-retenue", "accompagnement-interrompu"),
    *("conservation-mois", "conservation-semaine"),
    *("code-contact", "droits-export", "droits-effacement", "droits-reponse"),
    *("candidature-benevole", "proposition-benevole", "lien-connexion"),
    *("conservation-benevole-mois", "conservation-benevole-semaine"),
)
# an hour outside French: 19:04, and where it matters, in Paris time
_PARIS_TIME = {
    "en": "Paris time",
    "ar": "بتوقيت باريس",
    "pt": "hora de Paris",
    "ro": "ora Parisului",
}
# a moment in a sentence, in words: the day, this word, the hour (`long_when`)
_AT = {"fr": "à", "falc": "à", "en": "at", "ar": "الساعة", "pt": "às", "ro": "la ora"}


# a volunteer's application, in the words of `candidature-benevole`, in each language: the
# words of the status the sending service gives its subject (`state`: directory's
# `status_words`), here said in a sentence
APPLICATION_STATUS = {
    "submitted": "bien reçue : l'association va la lire",
    "in-review": "en cours d'examen (rencontre, attestation d'honorabilité)",
    "accepted": "acceptée, bienvenue",
    "declined": "n'a pas été retenue cette fois",
    "paused": "en pause, comme vous l'avez demandé",
    "active": "de nouveau active",
}
APPLICATION_STATUS_IN = {
    FRENCH: APPLICATION_STATUS,
    "falc": {
        "submitted": "bien arrivée : l'association va la lire",
        "in-review": "en cours : l'association vous rencontre et vérifie vos papiers",
        "accepted": "acceptée. Bienvenue !",
        "declined": "refusée cette fois",
        "paused": "en pause, comme vous avez demandé",
        "active": "de nouveau active",
    },
    "en": {
        "submitted": "received: the association will read it",
        "in-review": "under review (a meeting, the criminal record certificate)",
        "accepted": "accepted, welcome",
        "declined": "not accepted this time",
        "paused": "paused, as you asked",
        "active": "active again",
    },
    "ar": {
        "submitted": "تم استلامه، وستطّلع عليه الجمعية",
        "in-review": "قيد التحقق (لقاء، شهادة السوابق العدلية)",
        "accepted": "تم قبوله، أهلاً بك",
        "declined": "لم يُقبل هذه المرة",
        "paused": "متوقف مؤقتاً كما طلبت",
        "active": "نشط من جديد",
    },
    "pt": {
        "submitted": "recebida, a associação vai lê-la",
        "in-review": "em análise (encontro, certificado de registo criminal)",
        "accepted": "aceite, bem-vindo(a)",
        "declined": "não foi aceite desta vez",
        "paused": "em pausa, como pediu",
        "active": "de novo ativa",
    },
    "ro": {
        "submitted": "primită, asociația o va citi",
        "in-review": "în curs de examinare (întâlnire, cazier judiciar)",
        "accepted": "acceptată, bine ați venit",
        "declined": "nu a fost reținută de data aceasta",
        "paused": "în pauză, așa cum ați cerut",
        "active": "din nou activă",
    },
}


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str  # the e-mail's body, or the SMS itself


class Renderer:
    def __init__(self) -> None:
        self.envs = {code: _environment(code) for code in LANGUAGES}

    def render(
        self, template: str, channel: Channel, context: dict[str, Any], language: str = FRENCH
    ) -> Rendered:
        """The message in `language` if it is written in it, in French otherwise."""
        if template not in TEMPLATES:
            raise LookupError(f"no notification template {template!r}")
        env = self.envs.get(language, self.envs[FRENCH])
        try:
            tmpl = env.get_template(f"{language}/{template}.txt")
        except TemplateNotFound:
            tmpl = self.envs[FRENCH].get_template(f"{template}.txt")
        ctx = tmpl.new_context(dict(context))

        def block(name: str) -> str:
            return "".join(tmpl.blocks[name](ctx)).strip()

        if channel is Channel.SMS:
            return Rendered(subject="", text=block("sms"))
        return Rendered(subject=block("subject"), text=block("email") + "\n")


def _environment(language: str) -> Environment:
    env = Environment(
        loader=PackageLoader("entraide.kit.notifications", "templates"),
        undefined=StrictUndefined,
        autoescape=False,  # plain text: nothing is HTML
        keep_trailing_newline=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install(env)
    env.filters["long_day"] = partial(long_day, locale=locale_for(language))
    env.filters["listed"] = partial(listed, locale=locale_for(language))
    env.filters["long_when"] = partial(_long_when, language=language)
    if language in _PARIS_TIME:
        env.filters["hour"] = clock
        env.filters["when"] = partial(_when, zone_name=_PARIS_TIME[language])
    env.globals["APPLICATION_STATUS"] = APPLICATION_STATUS_IN[language]
    return env


def _when(at: datetime | str | None, *, zone_name: str, zone: bool = False) -> str:
    """`29/11/2026 19:04`; with `zone`, `(Paris time)` in the message's language after it."""
    if at is None or at == "":
        return "—"
    text = day_and_clock(at)
    return f"{text} ({zone_name})" if zone else text


def _long_when(at: datetime | str, *, language: str, zone: bool = False) -> str:
    """`2 décembre 2026 à 0 h 03`, `2 December 2026 at 00:03`: a moment in a sentence, its
    day in words in the message's language, Paris time (with `zone`, said after it). The
    hour and its word do not break apart."""
    if language in _PARIS_TIME:
        said, zone_name = clock(at), _PARIS_TIME[language]
    else:  # French, easy French: « 0 h 03 »
        said, zone_name = hour(at).replace(" ", "\u00a0"), ZONE
    text = f"{long_day(at, locale_for(language))} {_AT.get(language, _AT['fr'])}\u00a0{said}"
    return f"{text} ({zone_name})" if zone else text
