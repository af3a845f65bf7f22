"""Create or align Entraide's topics from deploy/topics.toml.

    uv run python deploy/topics.py [--bootstrap 127.0.0.1:9092] [--check]

Idempotent: missing topics are created, configs of existing ones are set again, and a
partition count below the declared one is raised (Kafka cannot lower it).
"""

import argparse
import asyncio
import os
import sys
import tomllib
from pathlib import Path
from typing import Any

from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

DECLARATION = Path(__file__).with_name("topics.toml")
CONFIG_KEYS = {
    "cleanup_policy": "cleanup.policy",
    "retention_ms": "retention.ms",
    "min_compaction_lag_ms": "min.compaction.lag.ms",
}


def declared_topics(path: Path = DECLARATION) -> dict[str, dict[str, Any]]:
    """Every topic of the declaration, dead-letter topics included, with partitions and configs."""
    doc = tomllib.loads(path.read_text())
    defaults = doc["defaults"]
    topics: dict[str, dict[str, Any]] = {}
    for name, spec in doc["topics"].items():
        configs = {CONFIG_KEYS[k]: str(v) for k, v in spec.items() if k in CONFIG_KEYS}
        topics[name] = {
            "partitions": spec.get("partitions", defaults["partitions"]),
            "configs": configs,
        }
        topics[f"{name}.dlq"] = {
            "partitions": defaults["dlq_partitions"],
            "configs": {
                "cleanup.policy": "delete",
                "retention.ms": str(spec.get("dlq_retention_ms", defaults["dlq_retention_ms"])),
            },
        }
    for spec in topics.values():
        spec["replication_factor"] = doc["defaults"]["replication_factor"]
    return topics


async def apply(bootstrap: str, *, check_only: bool = False) -> list[str]:
    """Create or align the topics; returns what differed."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap, client_id="entraide-topics")
    await admin.start()
    try:
        wanted = declared_topics()
        existing = set(await admin.list_topics())
        missing = [name for name in wanted if name not in existing]
        changes = [f"create {name}" for name in missing]
        if missing and not check_only:
            await admin.create_topics(
                [
                    NewTopic(
                        name,
                        wanted[name]["partitions"],
                        wanted[name]["replication_factor"],
                        topic_configs=wanted[name]["configs"],
                    )
                    for name in missing
                ]
            )
        present = [name for name in wanted if name in existing]
        if present:
            described = await admin.describe_topics(present)
            grow = {
                t["topic"]: NewPartitions(wanted[t["topic"]]["partitions"])
                for t in described
                if len(t["partitions"]) < wanted[t["topic"]]["partitions"]
            }
            changes += [f"grow partitions of {name}" for name in grow]
            if grow and not check_only:
                await admin.create_partitions(grow)
            if not check_only:
                await admin.alter_configs(
                    [
                        ConfigResource(
                            ConfigResourceType.TOPIC, name, configs=wanted[name]["configs"]
                        )
                        for name in present
                    ]
                )
        return changes
    finally:
        await admin.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--bootstrap", default=os.environ.get("ENTRAIDE_KAFKA_BOOTSTRAP", "127.0.0.1:9092")
    )
    parser.add_argument(
        "--check", action="store_true", help="only report missing topics; exit 1 if any"
    )
    args = parser.parse_args()
    changes = asyncio.run(apply(args.bootstrap, check_only=args.check))
    for change in changes:
        print(change)
    print(f"topics: {len(declared_topics())} declared, {len(changes)} changes", file=sys.stderr)
    return 1 if args.check and changes else 0


if __name__ == "__main__":
    raise SystemExit(main())
