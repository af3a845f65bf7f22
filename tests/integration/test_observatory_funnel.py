"""The volunteers' funnel across the seam: volunteers apply on directory (the real app, the
real broker and store), the observatory counts their applications from directory's
application events (the figure it publishes against a count of the topic's events); one
volunteer leaves (the observatory forgets their application at once) and privacy's
erasure of them closes with the observatory's answer; another one's, in review, erases
the state the observatory kept of their application; the archive's facts hold no
reference."""

from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

from entraide.contracts.events import VolunteerApplicationChanged
from entraide.kit.broker import consumer_group
from entraide.kit.deps import lookup
from entraide.observatory.domain.facts import FactKind
from entraide.observatory.domain.indicators import BY_KEY
from entraide.observatory.domain.protection import TOTAL
from entraide.observatory.usecases.publish import Observatory
from tests.auth_support import DevIssuer
from tests.infra import Endpoints
from tests.integration.test_observatory_demo import demo_network, read_up_to, settled
from tests.privacy_support import case_when, closed
from tests.support import eventually

pytestmark = [pytest.mark.kafka, pytest.mark.store]
APPLICANTS = 5


def application(n: int) -> dict[str, object]:
    return {
        "identity": {"prenom": f"Candidat{n}", "nom": "Exemple", "courriel": f"c{n}@example.org"},
        "association_id": "parrains-par-mille",
        "code_postal": "58000",
        "needs": ["parrainage-de-proximite"],
        "availability": [{"day": "we", "part": "afternoon"}],
        "languages": ["fr"],
        "capacity": 1,
        "consent": True,
    }


async def test_an_application_is_counted_and_erased_with_the_volunteer(
    infra: Endpoints, unique: str, intake_settings, privacy_settings, dev_issuer: DevIssuer, mongo
) -> None:
    async with demo_network(infra, unique, intake_settings, privacy_settings, dev_issuer) as net:
        staff = {"authorization": f"Bearer {await dev_issuer.token_for('coordination-reseau')}"}
        dir_app, directory = net["directory"]
        obs_app, _ = net["observatory"]
        volunteers = mongo[dir_app.state.settings.database]["volunteers"]
        ids, refs = [], []
        for n in range(APPLICANTS):
            applied = await directory.post("/api/v1/volunteers", json=application(n))
            assert applied.status_code == 201, applied.text
            ids.append(applied.json()["volunteer_id"])
            refs.append((await volunteers.find_one({"_id": ids[-1]}))["volunteer_ref"])
        review = {"status": "in-review", "honorability": "requested"}
        changed = await directory.patch(
            f"/api/v1/staff/volunteers/{ids[1]}", json=review, headers=staff
        )
        assert changed.status_code == 200, changed.text

        applicants = obs_app.state.db["applicants"]

        async def seen(ref: str, status: str) -> bool:
            return await applicants.count_documents({"_id": ref, "status": status}) == 1

        async def all_known() -> bool:
            return await applicants.count_documents({"_id": {"$in": refs}}) == APPLICANTS

        await eventually(all_known, timeout=90, what="the observatory sees the applications")
        await eventually(lambda: seen(refs[1], "in-review"), timeout=60, what="the review")

        # the observatory counts the applications: every one the topic carries, once
        observatory = lookup(obs_app, Observatory)
        settings = obs_app.state.settings
        group = f"{consumer_group(settings, 'observatory')}-facts"
        ends = await settled(observatory, infra.kafka_bootstrap, group)
        events = await read_up_to(infra.kafka_bootstrap, ends)
        first: dict[str, VolunteerApplicationChanged] = {}
        for e in events:
            if isinstance(e.data, VolunteerApplicationChanged):
                first.setdefault(e.data.volunteer_ref, e.data)
        assert set(refs) <= set(first)
        [[archived]] = observatory.archive.scan(
            "SELECT count(*) FROM facts WHERE outcome = 'received'", FactKind.APPLICATION
        )
        assert archived == len(first)
        now = datetime.now(UTC)
        this_month = now.strftime("%Y-%m")
        expected = sum(
            1
            for a in first.values()
            if a.applied_at.astimezone(UTC).strftime("%Y-%m") == this_month
        )
        assert expected >= APPLICANTS
        table = observatory.table(BY_KEY["benevoles-parcours"], str(now.year), this_month)
        assert table is not None
        cell = table.cell(TOTAL, "received")
        assert cell.hidden or cell.count == expected

        # one volunteer leaves: the observatory forgets their application at once (nothing
        # more to count); privacy's erasure of them closes with the observatory's answer
        left = await directory.patch(
            f"/api/v1/staff/volunteers/{ids[0]}", json={"status": "left"}, headers=staff
        )
        assert left.status_code == 200, left.text

        async def forgotten() -> bool:
            return await applicants.count_documents({"volunteer_ref": refs[0]}) == 0

        await eventually(forgotten, timeout=60, what="the departure")
        _, privacy = net["privacy"]
        privacy.headers.update({"Authorization": f"Bearer {await dev_issuer.token_for('dpo')}"})

        async def erased(ref: str) -> dict[str, int]:
            body = {"kind": "erasure", "subject_ref": ref, "subject_kind": "volunteer"}
            opened = await privacy.post("/api/v1/cases", json=body)
            assert opened.status_code == 201, opened.text
            case = await case_when(privacy, opened.json()["case_id"], closed, timeout=90)
            counts: dict[str, int] = case["acks"]["observatory"]["counts"]
            return counts

        assert (await erased(refs[0])).get("applicants", 0) == 0
        # a volunteer erased while their application is in review: its state goes
        assert (await erased(refs[1])).get("applicants") == 1
        assert await applicants.count_documents({"_id": {"$in": refs[:2]}}) == 0
        assert await applicants.count_documents({"_id": {"$in": refs[2:]}}) == APPLICANTS - 2
        # the facts are anonymous: no reference in the archive, none in the pending facts
        await observatory.refresh()
        files = observatory.archive.files()
        text = str(duckdb.sql(f"SELECT * FROM read_parquet('{files}')").fetchall())  # type: ignore[attr-defined]
        pending = str(await obs_app.state.db["pending_facts"].find({}).to_list())
        assert not [r for r in refs if r in text or r in pending]
        assert Path(files).parts[-3] == "kind=*"
