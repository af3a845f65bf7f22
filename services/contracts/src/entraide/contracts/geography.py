"""Where the postal codes that events carry are: the network's shared reference geography.

Events locate people by postal code only; every service that needs a distance reads the
same table (`data/postal_codes.csv`: commune centres from GeoNames, CC BY 4.0, for the five
founding départements; see services/directory/scripts/build_places.py). A postal code
outside the table falls back to its département's centre when the département is known.
"""

import csv
import io
import math
from functools import cache
from importlib.resources import files

Point = tuple[float, float]  # latitude, longitude in degrees
EARTH_RADIUS_KM = 6371.0


@cache
def _table() -> tuple[dict[str, Point], dict[str, Point]]:
    raw = files("entraide.contracts").joinpath("data/postal_codes.csv").read_text("utf-8")
    by_code: dict[str, Point] = {}
    by_departement: dict[str, list[Point]] = {}
    for row in csv.DictReader(io.StringIO(raw), delimiter=";"):
        point = (float(row["latitude"]), float(row["longitude"]))
        by_code.setdefault(row["postal_code"], point)
        by_departement.setdefault(row["departement"], []).append(point)
    centres = {
        dep: (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
        for dep, pts in by_departement.items()
    }
    return by_code, centres


def locate(postal_code: str, departement: str | None = None) -> Point | None:
    """The postal code's centre, else its département's, else None (unknown place)."""
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
