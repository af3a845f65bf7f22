"""Communes and postal codes a family may type, found offline with their coordinates.

Every French commune is known (the contracts' table, `entraide.contracts.geography`), with
its postal codes and the former communes people still name. A query is a postal code
(`58240`), a name (`Saint-Pierre-le-Moûtier`, `st pierre le moutier`, `reze`) or both
(`Nantes 44300`, `Sainte-Marie (58)`); a name several communes bear gives them all, those
of the network's territories first (`Sainte-Marie` is the Nièvre's before La Réunion's),
then the most populous. The indexes are built once, at the first query.
"""

import bisect
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from entraide.contracts.departements import FIRST_TERRITORIES
from entraide.contracts.geography import ARRONDISSEMENT, FORMER, Commune, communes, main_first

MAX_CANDIDATES = 10
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}


@dataclass(frozen=True, slots=True)
class Place:
    postal_code: str
    commune: str
    departement: str
    latitude: float
    longitude: float
    insee: str = ""

    @property
    def label(self) -> str:
        return f"{self.commune} ({self.postal_code})"


def normalise(text: str) -> str:
    """Lower case, no accents, punctuation as spaces: `Rezé` = `reze`, `Œuf` = `oeuf`."""
    plain = text.lower().translate(_PLAIN)  # fast: 37,000 names at the first query
    if not plain.isascii():
        plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode()
        plain = re.sub(r"[^a-z0-9]+", " ", plain)
    return " ".join(plain.split())


def natural_key(name: str) -> tuple[list[str | int], str]:
    """A name as it is ordered for people: accents and case aside, numbers inside by value
    (`Paris 1er`, `Paris 2e`, …, `Paris 19e`, `Paris 20e`; `Écoute` among the E)."""
    # re.split with a group alternates text and digits, text first: like compares with like
    parts = re.split(r"(\d+)", normalise(name))
    return [int(part) if i % 2 else part for i, part in enumerate(parts)], name


# `natural_text`'s marks, below any character of a normalised name (letters and spaces):
# a name's end, then a number's start
_END, _NUMBER = "\x01", "\x02"


def natural_text(name: str) -> str:
    """`natural_key` as one text that sorts as it does, character by character (the
    store's order, with no collation): a number is a mark, its count of digits on three
    figures, then its digits (`2` before `19`: `001 2` before `002 19`); after the words, an
    end mark, then the name as typed (names that differ only in accents or case)."""
    parts = re.split(r"(\d+)", normalise(name))
    coded = "".join(
        f"{_NUMBER}{len(digits):03d}{digits}" if i % 2 else part
        for i, part in enumerate(parts)
        for digits in [part.lstrip("0") or "0"]
    )
    typed = "".join(c for c in name if c >= " ")  # no mark inside the name as typed
    return f"{coded}{_END}{typed}"


def name_key(name: str) -> str:
    """A commune name as compared: normalised, `St`/`Ste` written out."""
    words = normalise(name).split()
    if "st" in words or "ste" in words:
        words = [ABBREVIATIONS.get(w, w) for w in words]
    return " ".join(words)


_ACCENTED = {"a": "àâäá", "c": "ç", "e": "èéêë", "i": "îïí", "o": "ôöó", "u": "ûüùú", "y": "ÿ"}
_PLAIN = str.maketrans(
    {"œ": "oe", "æ": "ae"}
    | {a: plain for plain, accented in _ACCENTED.items() for a in accented}
    | {chr(i): " " for i in range(128) if not chr(i).isalnum()}
)


@dataclass(frozen=True)
class _Index:
    by_code: dict[str, list[Commune]]
    by_name: dict[str, list[Commune]]
    names: list[str]  # sorted keys of by_name, for prefixes
    ranked: list[tuple[str, Commune]]  # (key, commune), the largest communes first


@cache
def _index() -> _Index:
    by_code: dict[str, list[Commune]] = {}
    by_name: dict[str, list[Commune]] = {}
    for commune in sorted(communes(), key=main_first):
        for code in commune.postal_codes:
            by_code.setdefault(code, []).append(commune)
        key = name_key(commune.name)
        by_name.setdefault(key, []).append(commune)
        if commune.kind == ARRONDISSEMENT:  # `Paris 11e` as well as `Paris 11e Arrondissement`
            by_name.setdefault(key.removesuffix(" arrondissement"), []).append(commune)
    ranked = [(key, c) for key, found in by_name.items() for c in found]
    ranked.sort(key=lambda pair: main_first(pair[1]))
    return _Index(by_code, by_name, sorted(by_name), ranked)


def likeliest_first(commune: Commune) -> tuple[bool, bool, bool, int]:
    """The order of homonyms: the network's territories' communes first (a family there
    searches near home), then `main_first` (arrondissements, the most populous)."""
    return commune.departement not in FIRST_TERRITORIES, *main_first(commune)


def _place(commune: Commune, postal_code: str | None = None) -> Place:
    code = postal_code if postal_code in commune.postal_codes else commune.postal_codes[0]
    return Place(code, commune.name, commune.departement, commune.latitude, commune.longitude,
                 commune.insee)  # fmt: skip


def candidates(query: str) -> list[Place]:
    """The places a query may mean, the likeliest first (empty when none)."""
    index = _index()
    found = re.search(r"\b\d{5}\b", query)
    code = found.group() if found else None
    departement = re.search(r"\((\d[\dAB]|9[78]\d)\)", query)
    name = name_key(re.sub(r"\(\s*\d[\dAB]?\d?\s*\)|\b\d{5}\b", " ", query))
    if code:
        served = index.by_code.get(code, [])
        same = [c for c in served if name and name_key(c.name) == name]
        named = same or [c for c in served if name and name_key(c.name).startswith(name)]
        return [_place(c, code) for c in (named or served)][:MAX_CANDIDATES]
    if not name:
        return []
    wanted = departement.group(1) if departement else None
    exact = index.by_name.get(name, [])
    exact = sorted(exact, key=likeliest_first)
    if wanted:
        exact = [c for c in exact if c.departement == wanted]
    if not exact:  # the start of a name: the most populous communes that begin so
        exact = _starting(index, name, wanted)
    kept = [c for c in exact if c.kind != FORMER] + [c for c in exact if c.kind == FORMER]
    return [_place(c) for c in kept[:MAX_CANDIDATES]]


def _starting(index: _Index, name: str, departement: str | None) -> list[Commune]:
    start = bisect.bisect_left(index.names, name)
    stop = bisect.bisect_left(index.names, name + "\x7f", lo=start)
    begun: Iterable[Commune]
    if stop - start > 200:  # a short start (`Sain`): the largest communes first, until enough
        begun = (c for key, c in index.ranked if key.startswith(name))
    else:
        begun = sorted({c for key in index.names[start:stop] for c in index.by_name[key]},
                       key=likeliest_first)  # fmt: skip
    found: list[Commune] = []
    for commune in begun:
        if departement in (None, commune.departement) and commune not in found:
            found.append(commune)
            if len(found) == MAX_CANDIDATES:
                break
    return found


def find(query: str) -> Place | None:
    """A place by postal code (`44000`), name (`Nantes`, `rezé`) or both (`Nantes 44000`)."""
    found = candidates(query.strip())
    return found[0] if found else None


def by_postal_code(postal_code: str) -> Place | None:
    """The main commune of a postal code (its arrondissement, else its most populous)."""
    served = _index().by_code.get(postal_code)
    return _place(served[0], postal_code) if served else None
