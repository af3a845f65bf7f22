"""Staff are told each day how many families' own requests wait on « À confirmer »,
through intake's own loop, the real store and a real SMTP server: the association's
count and its oldest's day, the network's for those sent to none, none for an association
with none waiting, one a day (a restart the same day sends nothing more)."""

import uuid
from datetime import UTC, datetime, timedelta

from entraide.contracts.vocab import Need
from entraide.intake.adapters.self_requests import SelfRequestStore
from entraide.intake.app import create_app
from entraide.intake.domain.self_requests import SelfRequest
from entraide.kit.formats import paris
from tests.smtp_server import running_smtp_server
from tests.support import eventually, serving

PPM, AFEV, NETWORK = "accueil-ppm@example.org", "accueil-afev@example.org", "reseau@example.org"
OLDEST = datetime.now(UTC) - timedelta(days=6)


def waiting(association_id: str | None, sent: datetime) -> SelfRequest:
    return SelfRequest(
        id=uuid.uuid4().hex, family_id=uuid.uuid4().hex, family_ref=uuid.uuid4().hex,
        association_id=association_id, offer_id=None, departement="44", postal_code="44000",
        children_birth_years=[2018], needs=[Need.ECOUTE], availability=[], languages=["fr"],
        contact_preferences=["phone"], sealed={}, lookup=[], code_hash=uuid.uuid4().hex,
        submitted_at=sent,
    )  # fmt: skip


async def test_intake_mails_each_association_the_requests_waiting(intake_settings, mongo) -> None:
    store = SelfRequestStore(mongo[intake_settings.database])
    for request in (
        waiting("parrains-par-mille", OLDEST),
        waiting("parrains-par-mille", OLDEST + timedelta(days=2)),
        waiting(None, OLDEST + timedelta(days=1)),
    ):
        await store.add(request)
    with running_smtp_server() as mailbox:
        settings = intake_settings.model_copy(
            update={
                "smtp_port": mailbox.port,
                "coordinator_emails": {"parrains-par-mille": PPM, "afev": AFEV, "reseau": NETWORK},
            }
        )
        for _ in range(2):  # a restart the same day: no second mail
            async with serving(create_app(settings)):

                async def sent() -> bool:
                    return bool(mailbox.to(PPM)) and bool(mailbox.to(NETWORK))

                await eventually(sent, timeout=60, what="the counts mailed")

    [mail] = mailbox.to(PPM)
    assert mail["Subject"] == "Entraide : 2 demandes de familles attendent votre réponse"
    text = mail.get_content()
    assert f"la plus ancienne depuis le {paris(OLDEST):%d/%m/%Y}" in text
    assert "http://127.0.0.1:8020/a-confirmer" in text
    [network] = mailbox.to(NETWORK)
    assert network["Subject"] == "Entraide : 1 demande de famille attend votre réponse"
    assert mailbox.to(AFEV) == []  # none waiting
