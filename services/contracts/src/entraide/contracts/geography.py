"""Where the places events name are: the network's shared reference geography.

`data/communes.csv` lists every French commune with its postal codes and a point (INSEE's
Code officiel géographique and La Poste's postal codes, Licence Ouverte; GeoNames' points,
CC BY 4.0; built by `services/contracts/scripts/build_communes.py`, nothing fetched at run
time). Events locate people by postal code only: a postal code stands at its arrondissement,
else at the most populous commune it serves; an unknown one falls back to its département's
centre when the département is known; pages name a postal code by its most populous
commune (`commune_of`). Each table is read once, at its first call.
"""

import math
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from sys import intern
from typing import NamedTuple

Point = tuple[float, float]  # latitude, longitude in degrees
EARTH_RADIUS_KM = 6371.0
COMMUNE, ARRONDISSEMENT, FORMER = "c", "a", "d"  # kinds of line in the table


@dataclass(frozen=True, slots=True)
class Commune:
    """A commune, a Paris, Lyon or Marseille arrondissement, or a former commune people
    still name (a commune déléguée or associée: `parent` is the commune it belongs to)."""

    kind: str
    insee: str
    name: str
    departement: str
    latitude: float
    longitude: float
    postal_codes: tuple[str, ...]
    population: int
    parent: str


@cache
def communes() -> tuple[Commune, ...]:
    """Every line of the table, read once."""
    found = []
    for line in _lines():
        kind, insee, name, dep, lat, lon, codes, population, parent = line.split(";")
        found.append(Commune(kind, insee, name, intern(dep), float(lat), float(lon),
                             tuple(map(intern, codes.split())), int(population), parent))  # fmt: skip
    return tuple(found)


def _lines() -> Iterator[str]:
    """The table's lines, read one at a time (the whole text at once weighs 10 MB more)."""
    with files("entraide.contracts").joinpath("data/communes.csv").open(encoding="utf-8") as f:
        next(f)  # the header
        for line in f:
            yield line.rstrip("\n")


def main_first(commune: Commune) -> tuple[bool, bool, int]:
    """The order in which a postal code's communes stand for it: arrondissements, then
    communes by population, former communes last."""
    return commune.kind != ARRONDISSEMENT, commune.kind == FORMER, -commune.population


@cache
def _table() -> tuple[dict[str, Point], dict[str, Point]]:
    """Postal codes' and départements' points, from the lines (no Commune kept: matching
    needs only these few thousand points)."""
    by_code: dict[str, tuple[tuple[bool, int], Point]] = {}
    by_departement: dict[str, list[float]] = {}
    for line in _lines():
        kind, _, _, dep, lat, lon, codes, population, _ = line.split(";")
        point = (float(lat), float(lon))
        rank = (kind == ARRONDISSEMENT, int(population) if kind != FORMER else -1)
        for code in codes.split():
            if code not in by_code or by_code[code][0] < rank:
                by_code[code] = (rank, point)
        if kind == COMMUNE:  # the mean of its communes' points: sums and a count
            sums = by_departement.setdefault(dep, [0.0, 0.0, 0])
            sums[0], sums[1], sums[2] = sums[0] + point[0], sums[1] + point[1], sums[2] + 1
    centres = {dep: (lat / n, lon / n) for dep, (lat, lon, n) in by_departement.items()}
    return {code: point for code, (_, point) in by_code.items()}, centres


class Served(NamedTuple):
    """The commune a postal code names people read: the most populous it serves, and
    whether other communes share the code (then the family may live in one of those)."""

    name: str
    shared: bool


@cache
def _served() -> dict[str, Served]:
    """Postal codes' communes (arrondissements and former communes aside: « Paris », not
    « Paris 11e Arrondissement »; pages show the code beside the name)."""
    found: dict[str, tuple[int, str, int]] = {}  # code: population, name, communes
    for line in _lines():
        kind, _, name, _, _, _, codes, population, _ = line.split(";")
        if kind != COMMUNE:
            continue
        for code in codes.split():
            most, named, count = found.get(code, (-1, "", 0))
            if int(population) > most:
                most, named = int(population), name
            found[code] = (most, named, count + 1)
    return {code: Served(name, count > 1) for code, (_, name, count) in found.items()}


def commune_of(postal_code: str) -> Served | None:
    """The commune a postal code names, None for a code no commune has."""
    return _served().get(postal_code)


def locate(postal_code: str, departement: str | None = None) -> Point | None:
    """The postal code's place, else its département's centre, else None (unknown place)."""
    by_code, centres = _table()
    return by_code.get(postal_code) or centres.get(departement or postal_code[:2])


def distance_km(a: Point, b: Point) -> float:
    """Great-circle distance (haversine); matching measures every pair it considers, so
    written for speed (no intermediate tuples)."""
    lat1, lat2 = a[0] * _RAD, b[0] * _RAD
    h = _sin((lat2 - lat1) / 2) ** 2 + _cos(lat1) * _cos(lat2) * _sin((b[1] - a[1]) * _RAD / 2) ** 2
    return _DIAMETER_KM * _asin(_sqrt(h))


_RAD = math.pi / 180
_DIAMETER_KM = 2 * EARTH_RADIUS_KM
_sin, _cos, _asin, _sqrt = math.sin, math.cos, math.asin, math.sqrt
