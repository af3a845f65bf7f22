"""A volunteer's wish to be erased, kept while privacy cannot be reached, is asked again by
directory's periodic pass (`PrivacyErasure.resend`): on the real store, privacy's internal
API replaced by an httpx transport that is down, then up.

While privacy is down, a pass asks once and stops: with thousands of wishes waiting, asking
each (a timeout apiece) would hold the pass for hours. Once privacy answers, one pass asks
for every wish and records each case; one it refuses does not hold up the others."""

import json
import uuid

import httpx

from entraide.directory.adapters.volunteers.privacy_erasure import PATH, PrivacyErasure


class Privacy:
    """Privacy's internal API as a transport: down (a refused connection) or answering."""

    def __init__(self) -> None:
        self.up, self.asked, self.refused = False, [], set()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.asked.append(request.url.path)
        if not self.up:
            raise httpx.ConnectError("privacy unreachable", request=request)
        if json.loads(request.content)["subject_ref"] in self.refused:
            return httpx.Response(422, json={"detail": "refused"})
        case = f"case-{len(self.asked)}"
        return httpx.Response(201, json={"case_id": case, "status": "open"})


async def test_a_pass_stops_while_privacy_is_down_and_asks_for_all_once_it_answers(mongo):
    db = mongo[f"directory-resend-{uuid.uuid4().hex[:8]}"]
    privacy = Privacy()
    erasure = PrivacyErasure(
        db, "http://privacy.test", "secret", transport=httpx.MockTransport(privacy)
    )
    refs = [f"vol-{n}" for n in range(5)]
    for ref in refs:  # privacy is down as each volunteer leaves: each wish is kept
        await erasure.erase(ref)
    assert len(privacy.asked) == 5
    assert await db["volunteer_erasures"].count_documents({"answered": False}) == 5

    privacy.asked.clear()
    assert await erasure.resend() == 0
    assert privacy.asked == [PATH]  # one try, not five: privacy is down

    # up, but refusing the oldest wish: the others are asked all the same
    privacy.up, privacy.asked, privacy.refused = True, [], {"vol-0"}
    assert await erasure.resend() == 4
    assert len(privacy.asked) == 5
    privacy.refused.clear()
    assert await erasure.resend() == 1  # the refused one, at the next pass
    kept = await db["volunteer_erasures"].find({}).to_list()
    assert {d["_id"] for d in kept} == set(refs)
    assert all(d["answered"] and d["case_id"].startswith("case-") for d in kept)
    asked = len(privacy.asked)
    assert await erasure.resend() == 0  # nothing left to ask
    assert len(privacy.asked) == asked
    await mongo.drop_database(db.name)
