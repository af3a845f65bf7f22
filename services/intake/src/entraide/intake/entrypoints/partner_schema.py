"""Write (or check) the published JSON Schema of partner events, from the model.

python -m entraide.intake.entrypoints.partner_schema [--check]
"""

import argparse
import json
import sys
from pathlib import Path

from entraide.intake.entrypoints.partner_event import PARTNER_EVENT_TYPE, json_schema

SCHEMA_FILE = Path(__file__).resolve().parents[4] / "schemas" / f"{PARTNER_EVENT_TYPE}.json"


def rendered() -> str:
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed file differs")
    args = parser.parse_args(argv)
    if args.check:
        fresh = SCHEMA_FILE.exists() and SCHEMA_FILE.read_text() == rendered()
        if not fresh:
            print(f"stale: {SCHEMA_FILE}", file=sys.stderr)
        return 0 if fresh else 1
    SCHEMA_FILE.parent.mkdir(parents=True, exist_ok=True)
    SCHEMA_FILE.write_text(rendered())
    print(f"wrote {SCHEMA_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
