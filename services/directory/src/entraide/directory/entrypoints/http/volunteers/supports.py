"""« Mes accompagnements » in the volunteer's space: each support as the proposal's e-mail
described it (the kind of help, the family's département, since when), nothing more."""

from typing import Any

from entraide.contracts import departements
from entraide.contracts.labels import NEEDS


def shown(supports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows the page reads: needs in words (the template translates them), the
    département by its name and code, and the day it began (accepted, or started)."""
    return [
        {
            "needs": [NEEDS.get(n, n) for n in s.get("needs", [])],
            "departement": (
                f"{departements.name(s['departement'])} ({s['departement']})"
                if s.get("departement")
                else ""
            ),
            "since": s.get("accepted_at") or s.get("started_at"),
        }
        for s in supports
    ]
