"""Backward compatibility of a v1 payload schema: what a consumer of v1 may rely on.

Allowed within v1: new optional fields, new enum values, looser constraints.
Breaking: a field removed or retyped, a new required field, an enum value removed.

Allowed is not "in any order": a consumer still running the old models refuses what it
does not know, a new enum value (a ValidationError: dead letter `invalid-event`) or a new
event type (`unknown-event-type`), at once and without retry. A release that adds either
upgrades the consumers of that event before its producers; what was dead-lettered in the
wrong order is replayed once the consumers are upgraded (`entraide.kit.replay`, RUNBOOK).
New optional fields need no order: consumers ignore fields they do not know.
"""

from typing import Any

Schema = dict[str, Any]
_TYPE_KEYS = ("type", "format", "const")


def breaking_changes(old: Schema, new: Schema) -> list[str]:
    """Every way `new` breaks consumers written against `old`, as readable sentences."""
    problems: list[str] = []
    _compare("data", old, new, old.get("$defs", {}), new.get("$defs", {}), problems)
    return problems


def _resolve(schema: Schema, defs: Schema) -> Schema:
    ref = schema.get("$ref")
    if isinstance(ref, str):
        return dict(defs[ref.rsplit("/", 1)[-1]])
    return schema


def _compare(
    path: str, old: Schema, new: Schema, old_defs: Schema, new_defs: Schema, problems: list[str]
) -> None:
    old, new = _resolve(old, old_defs), _resolve(new, new_defs)
    if "enum" in old:
        lost = [v for v in old["enum"] if v not in new.get("enum", [])]
        if lost:
            problems.append(f"{path}: enum values removed: {lost}")
        return
    if "properties" in old:
        new_props = new.get("properties", {})
        for name, old_prop in old["properties"].items():
            if name not in new_props:
                problems.append(f"{path}.{name}: field removed")
            else:
                _compare(f"{path}.{name}", old_prop, new_props[name], old_defs, new_defs, problems)
        added_required = set(new.get("required", [])) - set(old.get("required", []))
        for name in sorted(added_required):
            problems.append(f"{path}.{name}: new required field")
        return
    if "anyOf" in old:
        old_branches, new_branches = old["anyOf"], new.get("anyOf", [])
        if len(old_branches) > len(new_branches):
            problems.append(
                f"{path}: type narrowed ({len(old_branches)} -> {len(new_branches)} kinds)"
            )
            return
        for i, branch in enumerate(old_branches):
            _compare(f"{path}[{i}]", branch, new_branches[i], old_defs, new_defs, problems)
        return
    if "items" in old:
        if "items" not in new:
            problems.append(f"{path}: no longer a list")
            return
        _compare(f"{path}[]", old["items"], new["items"], old_defs, new_defs, problems)
        return
    for key in _TYPE_KEYS:
        if old.get(key) != new.get(key):
            problems.append(f"{path}: {key} changed from {old.get(key)!r} to {new.get(key)!r}")
