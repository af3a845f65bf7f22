"""Figures, codes and addresses inside a sentence, for every public page (the `isolated`
filter, which the kit's form macros apply to each hint and error).

On a right-to-left page (Arabic) the bidirectional algorithm lays a run of numbers
separated by spaces or commas right to left, so « 06 12 34 56 78 » read « 78 56 34 12 06 »
and « 3, 7 » read « 7 ,3 ». Each such run of a translated sentence is isolated left to right
(`<bdi dir="ltr">`), kept on one line (so a narrow screen never splits « 06 12 | 34 56 78 »,
each line then reading right to left again); the inputs themselves are `dir="ltr"` (the
kit's `forms.input`). A sentence with such a run is held in one `<span>`: a field's error
(DSFR's `.fr-error-text`) is a flex box (its icon beside the words), which made each text
run and each `<bdi>` an item of its own and dropped the spaces at their edges (the ages
error read « 17 » glued to its words).

On a left-to-right page the runs need no isolation, only to stay on one line: the
Portuguese summary broke « 06 12 | 34 56 78 » at 390 px, the English status page the
follow-up code « K7QD-9XRA-M3TE- | HW2C ».

One line: spaces inside a run become no-break spaces (U+00A0) and a follow-up code's
hyphens non-breaking hyphens (U+2011), the same glyph, no line break after it.
"""

import re

from markupsafe import Markup, escape

from entraide.kit.i18n import current

# what reads left to right in any language: an e-mail address, a follow-up code
# (K7QD-9XRA-M3TE-HW2C), figures with the spaces or commas between them (ASCII only:
# Python's \w and \d would take Arabic letters and digits in)
LEFT_TO_RIGHT = re.compile(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]+"
    r"|(?P<code>[A-Z0-9]{4}(?:-[A-Z0-9]{4})+)"
    r"|[0-9]+(?:[ ,]+[0-9]+)*"
)
# in a sentence already escaped (markup): a tag or an entity (`&#39;`) is left as it is
MARKUP_OR_RUN = re.compile(r"<[^>]*>|&#?\w+;|" + LEFT_TO_RIGHT.pattern)
ISOLATED = '<bdi dir="ltr">'

NO_BREAK_SPACE = "\u00a0"
NO_BREAK_HYPHEN = "\u2011"


def isolated(text: str) -> str:
    """`text` (a translated sentence) with its figures and addresses isolated on a
    right-to-left page (`left_to_right`, the sentence in one `<span>`); on any other page,
    its figure runs and codes unbroken (`unbroken`). Given its own answer, the same again
    (a template's hint may be isolated before the form macro isolates it)."""
    if not current().rtl:
        return unbroken(text)
    if isinstance(text, Markup) and ISOLATED in text:
        return text
    isolating = left_to_right(text)
    return Markup("<span>{}</span>").format(isolating) if ISOLATED in isolating else isolating


def unbroken(text: str) -> str:
    """`text` with each figure run and code on one line (« 06 12 34 56 78 », « 3, 7 »,
    « K7QD-9XRA-M3TE-HW2C »), the rest as it is (a translation's Markup stays Markup)."""
    if isinstance(text, Markup):  # its tags and entities as they are
        return Markup(MARKUP_OR_RUN.sub(_one_line, str(text)))
    return LEFT_TO_RIGHT.sub(_one_line, text)


def left_to_right(text: str) -> Markup:
    """`text` escaped (plain text) or as it is (Markup: a translation, an isolated
    sentence), each of its figures and addresses in a `<bdi dir="ltr">` on one line."""
    escaped = str(text if isinstance(text, Markup) else escape(text))
    return Markup(MARKUP_OR_RUN.sub(_isolate, escaped))


def _isolate(found: re.Match[str]) -> str:
    if found.group().startswith(("<", "&")):
        return found.group()
    return f"{ISOLATED}{_one_line(found)}</bdi>"


def _one_line(run: re.Match[str]) -> str:
    if run.group().startswith(("<", "&")):
        return run.group()
    one_line = run.group().replace(" ", NO_BREAK_SPACE)
    return one_line.replace("-", NO_BREAK_HYPHEN) if run.group("code") else one_line
