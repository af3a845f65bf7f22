"""A request posted while Kafka is down is published once Kafka returns (the outbox)."""

from entraide.contracts import parse_event
from entraide.contracts.topics import REQUESTS
from entraide.intake.app import create_app as intake_app
from tests.infra import throwaway_kafka
from tests.support import eventually, records, request_body, serving


async def test_requests_posted_while_kafka_is_down_are_published_when_it_returns(
    intake_settings, mongo, tmp_path, staff_bearer
) -> None:
    families = mongo[intake_settings.database]["families"]
    with throwaway_kafka(tmp_path / "kafka") as (bootstrap, kafka):
        settings = intake_settings.model_copy(update={"kafka_bootstrap": bootstrap})
        async with serving(intake_app(settings), ready=False) as intake:
            intake.headers.update(staff_bearer)
            # Kafka has never been up: intake serves anyway and says why it is not ready
            readiness = await intake.get("/readyz")
            assert readiness.status_code == 503
            assert readiness.json()["checks"] == {"kafka": "down", "database": "ok"}
            first = (await intake.post("/api/v1/requests", json=request_body())).json()
            assert await families.count_documents({"outbox_pending": True}) == 1

            kafka.up()
            pid = kafka.pid()
            kafka.up()  # starting a running broker again is harmless
            assert kafka.pid() == pid
            await eventually(lambda: _published(families), timeout=90, what="first publish")

            # Kafka goes away under a running intake, then returns
            kafka.down()
            assert not kafka.processes(), "kafka-down left a broker behind"
            second = (
                await intake.post("/api/v1/requests", json=request_body() | {"confirm_new": True})
            ).json()
            assert await families.count_documents({"outbox_pending": True}) == 1
            kafka.up()
            await eventually(lambda: _published(families), timeout=120, what="second publish")

        for created in (first, second):
            family = await families.find_one({"requests.request_id": created["request_id"]})
            [record, *redelivered] = await records(
                bootstrap, REQUESTS.name, key=family["family_ref"].encode()
            )
            assert parse_event(record.value).data.request_id == created["request_id"]
            # at-least-once: a resend after a timeout may repeat the very same event
            assert all(r.value == record.value for r in redelivered)


async def _published(families) -> bool:
    return await families.count_documents({"outbox_pending": True}) == 0
