"""Load demo families (all fictitious) into a running intake, one per territory and need.

uv run python deploy/demo/load.py [--intake http://127.0.0.1:8020] [--issuer http://127.0.0.1:8001]

They are recorded through the staff API as the network's coordinator (demo account
`coordination-reseau`), who may record for every association and territory.
"""

import argparse
import copy
import json
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

TEMPLATE = json.loads(Path(__file__).with_name("request.json").read_text())
FAMILIES = [
    ("75011", "Paris", "afev", ["accompagnement-scolaire"], ["isolement-social"]),
    ("93200", "Saint-Denis", "france-parrainages", ["parrainage-de-proximite"], []),
    (
        "93100",
        "Montreuil",
        "centres-sociaux",
        ["activites-et-lien-social", "ecoute"],
        ["isolement-social", "rupture-recente", "probleme-de-sante"],
    ),
    (
        "44000",
        "Nantes",
        "parrains-par-mille",
        ["parrainage-de-proximite", "repit-garde-ponctuelle"],
        ["epuisement-declare", "aucun-relais-familial"],
    ),
    ("44600", "Saint-Nazaire", "grands-parrains", ["grand-parrainage"], []),
    (
        "59000",
        "Lille",
        "unaf",
        ["soutien-a-la-parentalite", "acces-aux-droits"],
        ["situation-de-crise"],
    ),
    ("59100", "Roubaix", "fondation-pour-l-enfance", ["ecoute"], ["enfant-de-moins-de-3-ans"]),
    ("58000", "Nevers", "centres-sociaux", ["repit-garde-ponctuelle"], ["epuisement-declare"]),
]


def bodies() -> list[dict]:
    """The staff API's body for each demo family: README's example family (request.json)
    with another first name and phone, so that the README's first call records its family
    (a phone shared with a demo family made it a possible duplicate: 409)."""
    made = []
    for n, (postal_code, commune, association, needs, signs) in enumerate(FAMILIES, start=1):
        body = copy.deepcopy(TEMPLATE)
        body["parent"] |= {"first_name": f"Parent{n}", "phone": f"06 00 00 10 {n:02d}"}
        body |= {
            "postal_code": postal_code,
            "commune": commune,
            "association_id": association,
            "needs": needs,
            "signs": signs,
        }
        made.append(body)
    return made


def demo_token(issuer: str) -> str:
    """A token of the dev issuer's network coordinator (password grant, demo only)."""
    form = {"grant_type": "password", "username": "coordination-reseau", "password": "demo"}
    req = urllib.request.Request(
        f"{issuer}/token", data=urllib.parse.urlencode(form).encode(), method="POST"
    )
    with urllib.request.urlopen(req, timeout=10) as response:
        token: str = json.load(response)["access_token"]
    return token


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--intake", default="http://127.0.0.1:8020")
    parser.add_argument("--issuer", default="http://127.0.0.1:8001")
    args = parser.parse_args()
    token = demo_token(args.issuer)
    for body in bodies():
        postal_code, commune, needs = body["postal_code"], body["commune"], body["needs"]
        req = urllib.request.Request(
            f"{args.intake}/api/v1/requests",
            data=json.dumps(body).encode(),
            headers={"content-type": "application/json", "authorization": f"Bearer {token}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(req, timeout=10) as response:
                request_id = json.load(response)["request_id"]
        except urllib.error.HTTPError as exc:
            if exc.code != 409:  # 409: a load cut short before, this family is known already
                raise
            print(f"demo family already recorded: {commune} ({postal_code})")
            continue
        print(f"demo request {request_id}: {commune} ({postal_code}), {', '.join(needs)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
