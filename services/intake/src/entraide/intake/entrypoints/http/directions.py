"""Figures and addresses inside a right-to-left page (the Arabic door): the bidirectional
algorithm lays a run of numbers separated by spaces or commas right to left, so « 06 12 34
56 78 » read « 78 56 34 12 06 » and « 3, 7 » read « 7 ,3 ». Each such run of a translated
sentence is isolated left to right (`<bdi dir="ltr">`), its spaces made non-breaking so a
narrow screen never splits « 06 12 | 34 56 78 » over two lines (each line then reads right
to left again); the inputs themselves carry `dir="ltr"` in the templates. A sentence with
such a run is held in one `<span>`: a field's error (DSFR's `.fr-error-text`) is a flex box
(its icon beside the words), which made each text run and each `<bdi>` an item of its own
and dropped the spaces at their edges (the ages error read « 17 » glued to its words).

On a left-to-right page the runs need no isolation, only their non-breaking spaces: the
Portuguese summary broke « 06 12 | 34 56 78 » at 390 px.
"""

import re

from markupsafe import Markup, escape

from entraide.kit.i18n import current

# what reads left to right in any language: an e-mail address, a follow-up code
# (K7QD-9XRA-M3TE-HW2C), figures with the spaces or commas between them (ASCII only:
# Python's \w and \d would take Arabic letters and digits in)
LEFT_TO_RIGHT = re.compile(
    r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]+"
    r"|[A-Z0-9]{4}(?:-[A-Z0-9]{4})+"
    r"|[0-9]+(?:[ ,]+[0-9]+)*"
)


NO_BREAK_SPACE = "\u00a0"


def isolated(text: str) -> str:
    """`text` (a translated sentence) with its figures and addresses isolated on a
    right-to-left page (`left_to_right`, the sentence in one `<span>`); on any other page,
    its figure runs unbroken (`unbroken`)."""
    if not current().rtl:
        return unbroken(text)
    isolating = left_to_right(text)
    return Markup("<span>{}</span>").format(isolating) if "<bdi" in isolating else isolating


def unbroken(text: str) -> str:
    """`text` with the spaces inside each figure run non-breaking (« 06 12 34 56 78 »,
    « 3, 7 »), the rest as it is (a translation's Markup stays Markup)."""
    kept = LEFT_TO_RIGHT.sub(lambda run: run.group().replace(" ", NO_BREAK_SPACE), str(text))
    return Markup(kept) if isinstance(text, Markup) else kept


def left_to_right(text: str) -> Markup:
    """`text`, plain text, escaped, each of its figures and addresses in a `<bdi dir="ltr">`
    on one line."""
    plain = str(text)  # a gettext'd Markup holds the translation's text, no markup
    pieces: list[str] = []
    end = 0
    for run in LEFT_TO_RIGHT.finditer(plain):
        pieces.append(escape(plain[end : run.start()]))
        one_line = run.group().replace(" ", NO_BREAK_SPACE)
        pieces.append(Markup('<bdi dir="ltr">{}</bdi>').format(one_line))
        end = run.end()
    pieces.append(escape(plain[end:]))
    return Markup("").join(pieces)
