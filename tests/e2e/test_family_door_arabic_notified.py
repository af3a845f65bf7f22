"""Issue 17's first browser story, end to end in Chromium, intake served over real HTTP with
its real notifier pointed at a real SMTP server (aiosmtpd) and at the local SMS server
that checks each request against Brevo's contract: on a phone (390 px) two parents whose
browsers speak Arabic ask for help right to left, one to be answered by SMS and e-mail
(both given), one by SMS only; each keeps the code and follows the request on the status
page; staff of the association sign in (French pages, desktop) and confirm both on
« À confirmer »; the status pages say « confirmed » in Arabic; matching's proposal for
each request (published on the matches topic as matching does, the first one twice) tells
nobody anything (the association may still decline); its acceptance (the first one twice)
makes intake tell each family « une association va prendre contact avec vous » (neither
chose a call), and the status pages say so in Arabic. axe-core clean and right to left on every page the parents see.

What the code sends: one message per step, family and channel, by EACH channel the family
chose and can be reached by (Awa: the e-mail and the SMS; Samir: the SMS), in Arabic, the
language of the door's pages they wrote on; « demande reçue » on
submission, nothing when staff confirm nor at matching's proposal, « une association va
prendre contact avec vous » once the association accepts, never twice on either channel. Quiet hours are set to an empty range so the SMS goes whatever the
hour the test runs."""

import asyncio
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiokafka import AIOKafkaProducer
from playwright.async_api import Browser, Page, expect

from entraide.contracts import new_event
from entraide.contracts.events import MatchAccepted, MatchProposed
from entraide.contracts.topics import MATCHES
from entraide.intake.app import create_app as intake_app
from entraide.intake.settings import IntakeSettings
from tests.auth_support import DEMO_PASSWORD, DevIssuer
from tests.browser import accessibility_violations, fits, phone, screenshot
from tests.infra import Endpoints, settings_on
from tests.servers import serve_in_thread
from tests.sms_provider import SmsProvider, running_sms_provider
from tests.smtp_server import Mailbox, running_smtp_server
from tests.support import eventually

pytestmark = [pytest.mark.kafka, pytest.mark.store, pytest.mark.slow]
MIN_FILL_MS = 4500  # the door refuses a form posted faster (a script)
RECEIVED, CONFIRMED = "تم استلام طلبك", "تم تأكيد طلبك"  # « reçue », « confirmée »
CALLING = "ستتواصل معك جمعية"  # « Une association va prendre contact avec vous »
SMS, EMAIL = "رسالة نصية (SMS)", "بريد إلكتروني"  # the door's « Un SMS », « Un e-mail »
# two communes: the staff queue names each request by its day, minute and commune; two of
# one commune in one minute get the same name (axe-core: landmark-unique)
NANTES, SAINT_NAZAIRE = ("44000", "Nantes"), ("44600", "Saint-Nazaire")
MAIL_SUBJECT = "لقد استلمنا طلب المساعدة الخاص بك"  # « Votre demande d'aide est bien reçue »
CALLING_SUBJECT = "ستتواصل معك إحدى الجمعيات"  # « … va prendre contact avec vous »
SMS_RECEIVED = "Entraide: تم استلام طلب المساعدة."  # « Entraide : demande d'aide reçue. »
SMS_CALLING = "Entraide: ستتواصل معك إحدى الجمعيات"


@dataclass
class Intake:
    url: str
    mailbox: Mailbox
    sms: SmsProvider
    settings: IntakeSettings


@pytest.fixture(scope="module")
def intake(infra: Endpoints, dev_issuer: DevIssuer) -> Iterator[Intake]:
    with (
        running_smtp_server() as box,
        running_sms_provider() as sms,
        pytest.MonkeyPatch.context() as env,
    ):
        env.setenv("ENTRAIDE_SMTP_PORT", str(box.port))
        env.setenv("ENTRAIDE_SMS_URL", sms.url)
        env.setenv("ENTRAIDE_SMS_API_KEY", sms.api_key)
        env.setenv("ENTRAIDE_QUIET_START", "00:00")  # an empty range: no quiet hours,
        env.setenv("ENTRAIDE_QUIET_END", "00:00")  # the SMS goes at any hour of the run
        settings = settings_on(
            IntakeSettings, infra, f"test_intake_{uuid.uuid4().hex[:8]}", keys="local"
        )
        with serve_in_thread(intake_app(dev_issuer.settings_for(settings)), name="intake") as url:
            yield Intake(url, box, sms, settings)


async def _clean(page: Page, where: str, problems: list[str]) -> None:
    problems += [f"{where}: axe {v}" for v in await accessibility_violations(page)]
    if not await fits(page):
        problems.append(f"{where}: scrolls sideways at 390 px")
    if await page.locator("html").get_attribute("dir") != "rtl":
        problems.append(f"{where}: not right to left")


async def _ask(
    page: Page,
    base: str,
    who: tuple[str, str],
    where: tuple[str, str],
    number: str,
    email: str | None,
) -> str:
    """The parent fills the Arabic door and sends it; the follow-up code shown."""
    problems: list[str] = []
    name = who[0]
    await page.goto(f"{base}/demander-aide?association=parrains-par-mille")
    await expect(page.get_by_role("heading", level=1)).to_have_text("اطلب المساعدة")
    await _clean(page, f"{name} door", problems)
    await page.get_by_text("استراحة للوالد، رعاية عرضية للأطفال", exact=True).click()
    await page.locator("#ages").fill("3, 9")
    await page.locator("#postal_code").fill(where[0])
    await page.locator("#commune").fill(where[1])
    await page.locator("#parent-first_name").fill(who[0])
    await page.locator("#parent-last_name").fill(who[1])
    await page.get_by_text(SMS, exact=True).click()
    await page.locator("#parent-phone").fill(number)
    if email is not None:
        await page.get_by_text(EMAIL, exact=True).click()
        await page.locator("#parent-email").fill(email)
    await page.get_by_text("أوافق على أن يُقرأ طلبي", exact=False).click()
    await page.wait_for_timeout(MIN_FILL_MS)
    await page.get_by_role("button", name="أرسل طلبي").click()
    await expect(page.get_by_role("heading", level=1)).to_have_text(RECEIVED)
    await _clean(page, f"{name} received", problems)
    assert problems == []
    return (await page.locator("#code-suivi").inner_text()).strip()


async def _status(page: Page, base: str, code: str, where: str, problems: list[str]) -> str:
    await page.goto(f"{base}/suivi")
    await page.locator("#code").fill(code)
    await page.get_by_role("button", name="اعرف مرحلة طلبي").click()
    await page.locator("#statut h2").wait_for()
    await expect(page.locator("html")).to_have_attribute("lang", "ar")
    await _clean(page, where, problems)
    return (await page.locator("#statut h2").inner_text()).strip()


async def _staff_confirm(browser: Browser, base: str, how_many: int) -> list[str]:
    """Staff of the association, French, desktop: sign in and confirm each request."""
    context = await browser.new_context(locale="ar", viewport={"width": 1280, "height": 900})
    page = await context.new_page()
    await page.goto(f"{base}/connexion?suivant=/a-confirmer")
    await page.get_by_label("Identifiant").fill("ppm-nantes")
    await page.get_by_label("Mot de passe").fill(DEMO_PASSWORD)
    await page.get_by_role("button", name="Se connecter").click()
    await page.wait_for_url("**/a-confirmer")
    await expect(page.locator("html")).to_have_attribute("lang", "fr")  # staff stay French
    await expect(page.get_by_role("button", name="Confirmer la demande")).to_have_count(how_many)
    problems = [f"queue: axe {v}" for v in await accessibility_violations(page)]
    for _ in range(how_many):
        await page.get_by_role("button", name="Confirmer la demande").first.click()
        await page.wait_for_url(re.compile(r".*/a-confirmer\?resultat="))
    await expect(page.get_by_role("button", name="Confirmer la demande")).to_have_count(0)
    await context.close()
    return problems


async def _propose(intake: Intake, mongo: Any, twice: bool, accept: bool = False) -> None:
    """Matching's proposal for each confirmed request (its acceptance when `accept`), on
    the matches topic as matching publishes it (the first one delivered twice when
    `twice`: a redelivery)."""
    db = mongo[intake.settings.database]
    confirmed = await db["self_requests"].find({"stage": "confirmed"}).to_list()
    assert len(confirmed) == 2
    now = datetime.now(UTC)
    producer = AIOKafkaProducer(bootstrap_servers=intake.settings.kafka_bootstrap)
    await producer.start()
    try:
        for n, request in enumerate(confirmed):
            said = {
                "match_id": f"match-{request['request_id']}",
                "request_id": request["request_id"],
                "family_ref": request["family_ref"],
                "association_id": "parrains-par-mille",
            }
            step: MatchProposed | MatchAccepted = (
                MatchAccepted(**said, accepted_at=now)
                if accept
                else MatchProposed(
                    **said,
                    score=0.8,
                    reasons=["Disponible le samedi"],
                    proposed_at=now,
                    expires_at=now + timedelta(days=3),
                )
            )
            event = new_event(step, source="/matching", subject=step.family_ref)
            value, key = event.model_dump_json().encode(), step.family_ref.encode()
            for _ in range(2 if twice and n == 0 else 1):
                await producer.send_and_wait(MATCHES.name, value, key=key)
    finally:
        await producer.stop()


async def test_a_parent_asks_in_arabic_on_a_phone_staff_confirm_and_the_family_is_told(
    intake: Intake, browser: Browser, mongo: Any
) -> None:
    run = uuid.uuid4().hex[:8]
    digits = [f"{n % 100:02d}" for n in uuid.uuid4().bytes[:8]]
    both_phone, sms_phone = "07 " + " ".join(digits[:4]), "06 " + " ".join(digits[4:])
    email = f"awa.{run}@example.org"
    problems: list[str] = []

    awa = await phone(browser, "ar")  # SMS and e-mail chosen, both given
    awa_code = await _ask(awa, intake.url, ("Awa", "Traoré"), NANTES, both_phone, email)
    await awa.get_by_role("link", name="متابعة طلبي").click()  # « Suivre ma demande »
    await awa.locator("#code").fill(awa_code)
    await awa.get_by_role("button", name="اعرف مرحلة طلبي").click()
    await expect(awa.locator("#statut h2")).to_have_text(RECEIVED)
    await _clean(awa, "awa status", problems)
    await screenshot(awa, "ar-suivi-recue-390")

    samir = await phone(browser, "ar")  # SMS only, no e-mail address
    samir_code = await _ask(samir, intake.url, ("Samir", "Haddad"), SAINT_NAZAIRE, sms_phone, None)
    assert await _status(samir, intake.url, samir_code, "samir status", problems) == RECEIVED

    # what submission sent: Awa's by e-mail and by SMS, Samir's by SMS, Arabic, with the code
    awa_number, samir_number = "337" + "".join(digits[:4]), "336" + "".join(digits[4:])
    [mail] = intake.mailbox.messages
    assert mail["To"] == email
    assert mail["Subject"] == MAIL_SUBJECT
    assert awa_code in mail.get_content()
    assert intake.sms.refused == []  # every request met Brevo's contract
    texts = _by_recipient(intake.sms.accepted)  # E.164 digits, no plus
    assert sorted(texts) == sorted([awa_number, samir_number])
    for number, code in ((awa_number, awa_code), (samir_number, samir_code)):
        [text] = texts[number]
        assert text["sender"] == "Entraide"
        assert text["type"] == "transactional"
        assert code in text["content"]
        assert text["content"].startswith(SMS_RECEIVED)

    problems += await _staff_confirm(browser, intake.url, 2)
    # the families keep the language they wrote in: their warnings before erasure use it
    families = mongo[intake.settings.database]["families"]
    written = [f["written_language"] async for f in families.find({}, {"written_language": 1})]
    assert written == ["ar", "ar"]

    assert await _status(awa, intake.url, awa_code, "awa confirmed", problems) == CONFIRMED
    await screenshot(awa, "ar-suivi-confirmee-390")
    assert await _status(samir, intake.url, samir_code, "samir confirmed", problems) == CONFIRMED
    # staff confirming and the families reading their status sent nothing
    assert len(intake.mailbox.messages) == 1
    assert len(intake.sms.accepted) == 2

    # matching proposes a volunteer for each request (Awa's proposal delivered twice): a
    # suggestion the association may decline, nothing said to the families
    await _propose(intake, mongo, twice=True)
    families_db = mongo[intake.settings.database]["families"]

    async def both_proposed() -> bool:
        found = await families_db.find({"orientation.state": "proposed"}).to_list()
        return len(found) == 2

    await eventually(both_proposed, timeout=90, what="the proposals noted")
    await asyncio.sleep(2)  # the batch's last step (telling the families) has run
    assert await _status(awa, intake.url, awa_code, "awa proposed", problems) == CONFIRMED
    assert len(intake.mailbox.messages) == 1
    assert len(intake.sms.accepted) == 2
    # the association accepts (Awa's acceptance delivered twice): each family is told
    # « une association va prendre contact avec vous » by each of its channels, once
    await _propose(intake, mongo, twice=True, accept=True)

    async def both_told() -> bool:
        return len(intake.mailbox.messages) >= 2 and len(intake.sms.accepted) >= 4

    await eventually(both_told, timeout=90, what="the families told of the call")
    assert await _status(awa, intake.url, awa_code, "awa calling", problems) == CALLING
    await screenshot(awa, "ar-suivi-appel-390")
    assert await _status(samir, intake.url, samir_code, "samir calling", problems) == CALLING
    await awa.context.close()
    await samir.context.close()

    assert problems == []
    _, calling = intake.mailbox.messages
    assert calling["To"] == email
    assert calling["Subject"] == CALLING_SUBJECT
    assert "خبر سار: ستتواصل معك إحدى الجمعيات" in calling.get_content()  # « Bonne nouvelle »
    assert "ستتصل" not in calling.get_content()  # no call: neither family chose one
    assert awa_code in calling.get_content()
    assert intake.sms.refused == []
    texts = _by_recipient(intake.sms.accepted)
    for number, code in ((awa_number, awa_code), (samir_number, samir_code)):
        received, called = texts[number]  # one received, one calling: no more, on either
        assert received["content"].startswith(SMS_RECEIVED)
        assert called["content"].startswith(SMS_CALLING)
        assert code in called["content"]
    # nothing twice: not the redelivered proposal, not the status pages read again
    assert len(intake.mailbox.messages) == 2
    assert len(intake.sms.accepted) == 4


def _by_recipient(texts: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The SMS the provider accepted, by recipient, in the order they came."""
    found: dict[str, list[dict[str, Any]]] = {}
    for text in texts:
        found.setdefault(text["recipient"], []).append(text)
    return found
