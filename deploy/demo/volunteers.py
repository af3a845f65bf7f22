"""Load demo volunteers (invented people) into a running directory, approved with a cleared
honorability check, near the demo families, so matching proposes them.

uv run python deploy/demo/volunteers.py [--directory http://127.0.0.1:8010] [--issuer ...]

Each applies through the public API, as `/devenir-benevole` does; the network's
coordinator (demo account `coordination-reseau`) then reviews them for their association:
honorability check cleared, approved. Their availability reaches matching on directory's
volunteers topic; the demo families who fit them are proposed to them.
"""

import argparse
import json
import sys
import urllib.request
from typing import Any

from load import demo_token

SLOTS = [{"day": "we", "part": "afternoon"}, {"day": "sa", "part": "morning"}]
# (first name, association, postal code, needs, languages): near the demo families (load.py)
VOLUNTEERS = [
    ("Bénédicte", "parrains-par-mille", "44000", ["parrainage-de-proximite"], ["fr"]),
    ("Yacine", "france-parrainages", "93200", ["parrainage-de-proximite"], ["fr", "ar"]),
    ("Monique", "grands-parrains", "44600", ["grand-parrainage"], ["fr"]),
    ("Lucas", "afev", "75011", ["accompagnement-scolaire"], ["fr", "en"]),
    ("Aïcha", "centres-sociaux", "58000", ["repit-garde-ponctuelle"], ["fr"]),
    ("Gérard", "parrains-par-mille", "44300", ["parrainage-de-proximite"], ["fr"]),
]


def call(url: str, body: dict[str, Any], *, method: str = "POST", token: str = "") -> Any:
    headers = {"content-type": "application/json"}
    if token:
        headers["authorization"] = f"Bearer {token}"
    req = urllib.request.Request(url, json.dumps(body).encode(), headers, method=method)
    with urllib.request.urlopen(req, timeout=30) as response:
        return json.load(response)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", default="http://127.0.0.1:8010")
    parser.add_argument("--issuer", default="http://127.0.0.1:8001")
    args = parser.parse_args()
    token = demo_token(args.issuer)
    for n, (first_name, association, postal_code, needs, languages) in enumerate(VOLUNTEERS):
        application = {
            "identity": {
                "prenom": first_name,
                "nom": "Exemple",
                "courriel": f"benevole{n + 1}@example.org",
            },
            "association_id": association,
            "code_postal": postal_code,
            "needs": needs,
            "availability": SLOTS,
            "languages": languages,
            "capacity": 1,
            "consent": True,
        }
        volunteer_id = call(f"{args.directory}/api/v1/volunteers", application)["volunteer_id"]
        review = f"{args.directory}/api/v1/staff/volunteers/{volunteer_id}"
        cleared = {"status": "in-review", "honorability": "cleared"}
        call(review, cleared, method="PATCH", token=token)
        call(review, {"status": "approved"}, method="PATCH", token=token)
        print(f"demo volunteer {first_name} ({association}, {postal_code}): approved")
    return 0


if __name__ == "__main__":
    sys.exit(main())
