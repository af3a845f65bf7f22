"""Load directory's demo offers (invented actions in real communes) into a running directory.

uv run python deploy/demo/directory.py [--directory http://127.0.0.1:8010] [--issuer ...]

Recorded through the staff API as the network's coordinator, for each association.
"""

import argparse
import json
import sys
import urllib.parse
import urllib.request

from load import demo_token

from entraide.directory.domain.offers.demo import demo_offers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--directory", default="http://127.0.0.1:8010")
    parser.add_argument("--issuer", default="http://127.0.0.1:8001")
    args = parser.parse_args()
    headers = {
        "content-type": "application/json",
        "authorization": f"Bearer {demo_token(args.issuer)}",
    }
    count = 0
    for association, offer in demo_offers():
        query = urllib.parse.urlencode({"association": association})
        req = urllib.request.Request(
            f"{args.directory}/api/v1/staff/offers?{query}",
            data=offer.model_dump_json().encode(),
            headers=headers,
            method="POST",
        )
        with urllib.request.urlopen(req, timeout=30) as response:
            json.load(response)
        count += 1
    print(f"{count} demo offers in directory (invented, in the five territories)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
