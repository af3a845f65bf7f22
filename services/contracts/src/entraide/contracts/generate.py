"""Generate the JSON Schemas and the AsyncAPI document from the models.

python -m entraide.contracts.generate           # write them
python -m entraide.contracts.generate --check   # exit 1 if the committed files differ
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from entraide.contracts.catalog import CATALOG
from entraide.contracts.envelope import CONTENT_TYPE, CloudEvent
from entraide.contracts.events import EventData
from entraide.contracts.topics import TOPICS

CONTRACTS_ROOT = Path(__file__).resolve().parents[3]
SCHEMA_DIR = CONTRACTS_ROOT / "schemas" / "v1"
ASYNCAPI_FILE = CONTRACTS_ROOT / "asyncapi.json"


def payload_schemas() -> dict[str, dict[str, Any]]:
    """One JSON Schema per event type, for its `data`."""
    return {spec.type: spec.model.model_json_schema() for spec in CATALOG}


def envelope_schema() -> dict[str, Any]:
    """The CloudEvents envelope, `data` left open."""
    schema = CloudEvent.model_json_schema()
    schema["properties"]["data"] = {"type": "object", "description": "See the event's own schema."}
    return schema


def asyncapi_document() -> dict[str, Any]:
    """An AsyncAPI 3.0 document: one channel per topic, one message per event type."""
    envelopes: list[tuple[type[BaseModel], Literal["validation"]]] = [
        (_envelope_of(spec.model), "validation") for spec in CATALOG
    ]
    keys, defs = models_json_schema(envelopes, ref_template="#/components/schemas/{model}")
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for topic in TOPICS:
        channel_id = topic.name.replace(".", "_")
        specs = [spec for spec in CATALOG if spec.topic == topic]
        channel_messages = {}
        for spec in specs:
            name = spec.model.__name__
            messages[name] = {
                "name": spec.type,
                "title": name,
                "summary": (spec.model.__doc__ or name).strip().splitlines()[0],
                "contentType": CONTENT_TYPE,
                "payload": keys[(_envelope_of(spec.model), "validation")],
            }
            channel_messages[name] = {"$ref": f"#/components/messages/{name}"}
        channels[channel_id] = {
            "address": topic.name,
            "description": f"{topic.description} Record key: {topic.key.value}.",
            "messages": channel_messages,
        }
        if channel_messages:
            operations[f"publish_{channel_id}"] = {
                "action": "send",
                "channel": {"$ref": f"#/channels/{channel_id}"},
                "messages": [
                    {"$ref": f"#/channels/{channel_id}/messages/{m}"} for m in channel_messages
                ],
            }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Entraide events",
            "version": "1.0.0",
            "description": "Events between the Entraide services (CloudEvents 1.0, JSON). "
            "Generated from entraide.contracts; do not edit.",
        },
        "defaultContentType": CONTENT_TYPE,
        "servers": {"local": {"host": "127.0.0.1:9092", "protocol": "kafka"}},
        "channels": channels,
        "operations": operations,
        "components": {"messages": messages, "schemas": defs["$defs"]},
    }


def _envelope_of(model: type[EventData]) -> type[BaseModel]:
    envelope: type[BaseModel] = cast(Any, CloudEvent)[model]
    return envelope


def rendered_files() -> dict[Path, str]:
    """Every generated file and its text."""
    files = {SCHEMA_DIR / f"{name}.json": _dump(s) for name, s in payload_schemas().items()}
    files[SCHEMA_DIR / "cloudevent.json"] = _dump(envelope_schema())
    files[ASYNCAPI_FILE] = _dump(asyncapi_document())
    return files


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def stale_files() -> list[Path]:
    """Generated files missing, different, or no longer generated."""
    files = rendered_files()
    stale = [p for p, text in files.items() if not p.exists() or p.read_text() != text]
    extra = [p for p in SCHEMA_DIR.glob("*.json") if p not in files] if SCHEMA_DIR.exists() else []
    return stale + extra


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the committed files differ")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"stale: {path.relative_to(CONTRACTS_ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    SCHEMA_DIR.mkdir(parents=True, exist_ok=True)
    for path in SCHEMA_DIR.glob("*.json"):
        path.unlink()
    for path, text in rendered_files().items():
        path.write_text(text)
    print(f"wrote {len(rendered_files())} files under {CONTRACTS_ROOT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
