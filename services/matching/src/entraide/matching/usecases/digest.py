"""The coordinators' daily digest: for each association, by e-mail through the kit's
notifier, how many proposals wait for an answer, follow-ups are due, rupture alerts
are raised (six weeks without contact) and ongoing supports have a volunteer whose
honorability check expired or expires within 30 days (as /suivis says on their cards),
with the link to the pages. Counts only: no family, volunteer or name. One digest a day
per association (the key names the day).

Matching holds no addresses: the coordinators' addresses are configuration
(`recipients`: association id → address, e.g. the association's coordination mailbox)."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from entraide.kit.notifications import Notifier
from entraide.kit.notifications.daily import send_daily
from entraide.matching.domain.lifecycle import ACTIVE
from entraide.matching.domain.rules import CHECK_NOTICE
from entraide.matching.usecases.access import Scope
from entraide.matching.usecases.ports import FollowUpDocuments, MatchDocuments, VolunteerViews

TEMPLATE = "synthese-coordination"
RUPTURE = "rupture"


async def send_digests(
    matches: MatchDocuments,
    followups: FollowUpDocuments,
    volunteers: VolunteerViews,
    notifier: Notifier,
    recipients: Mapping[str, str],
    *,
    today: date,
    link: str,
) -> int:
    """One digest per association with something to do today; how many were asked for."""

    async def to_do(association_id: str) -> Mapping[str, Any] | None:
        scope = Scope(territories=(), network_wide=False, association_id=association_id)
        proposals = await matches.count_in(scope, ["proposed"])  # counted, not read
        due = await followups.due_kinds_in(scope, today)  # counted, not read
        alerts = due.get(RUPTURE, 0)
        items = sum(due.values())
        lapsing = await volunteers.checks_due(association_id, today + CHECK_NOTICE)
        supports = [f"volunteer:{ref}" for ref in lapsing]
        active = sorted(s.value for s in ACTIVE)
        checks = await matches.count_in(scope, active, supports) if supports else 0
        if proposals == 0 and not items and not checks:
            return None  # nothing to do: no mail
        return {
            "proposals": proposals,
            "followups": items - alerts,
            "alerts": alerts,
            "checks": checks,
            "link": link,
        }

    return await send_daily(notifier, TEMPLATE, recipients, today=today, context_of=to_do)
