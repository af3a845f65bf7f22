"""The public rights channel in Chromium, privacy and intake served over real HTTP (privacy
asks intake which family a proved contact names, intake keeps its keys in privacy's vault):
a parent asks for erasure on a phone-sized screen, mistypes the code, types the right one,
and the case opens for their family; a parent asks for access on a desktop and opens the
export behind the link they received. Every page passes axe-core, fits the screen, and
after a failed submit the focus is on the error summary."""

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.async_api import Browser, Page

from entraide.intake.app import create_app as intake_app
from entraide.intake.settings import IntakeSettings
from entraide.privacy.app import create_app as privacy_app
from entraide.privacy.settings import PrivacySettings
from tests.auth_support import DevIssuer
from tests.browser import accessibility_violations, browser  # noqa: F401 (fixture)
from tests.infra import Endpoints, free_port, settings_on
from tests.servers import serve_in_thread
from tests.smtp_server import Mailbox, running_smtp_server
from tests.support import eventually, request_body

pytestmark = [pytest.mark.kafka, pytest.mark.store, pytest.mark.slow]
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def mailbox() -> Iterator[Mailbox]:
    with running_smtp_server() as box:
        yield box


@pytest.fixture(scope="module")
def served(mailbox: Mailbox, infra: Endpoints, dev_issuer: DevIssuer) -> Iterator[dict[str, Any]]:
    """Privacy and intake on free ports, privacy's mails to a real SMTP server (aiosmtpd);
    erasure and access answered by those two."""
    run = uuid.uuid4().hex[:8]
    ports = {"privacy": free_port(), "intake": free_port()}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    privacy = privacy_app(
        dev_issuer.settings_for(
            settings_on(
                PrivacySettings, infra, f"test_privacy_{run}",
                rights_services=("intake", "privacy"), sweep_interval_seconds=0,
                watchdog_interval_seconds=1, public_url=urls["privacy"],
                owners_urls={"intake": urls["intake"]}, smtp_port=mailbox.port,
            )
        )
    )  # fmt: skip
    intake = intake_app(
        dev_issuer.settings_for(
            settings_on(
                IntakeSettings, infra, f"test_intake_{run}", keyvault_url=urls["privacy"],
                outbox_idle_poll_seconds=0.2,
            )
        )
    )  # fmt: skip
    with (
        serve_in_thread(privacy, name="privacy", port=ports["privacy"]),
        serve_in_thread(intake, name="intake", port=ports["intake"]),
    ):
        yield {"urls": urls, "mailbox": mailbox}


async def _mail(served: dict[str, Any], email: str, subject: str) -> str:
    """The text of the last mail to `email` whose subject starts so (waited for)."""

    async def found() -> str | None:
        mails = [m for m in served["mailbox"].to(email) if m["Subject"].startswith(subject)]
        return mails[-1].get_content() if mails else None

    return await eventually(found, timeout=120, what=f"a mail « {subject} »")


async def _code(served: dict[str, Any], email: str) -> str:
    found = re.search(r"\b(\d{6})\b", await _mail(served, email, "Votre code"))
    assert found
    return found.group(1)


async def _family(served: dict[str, Any], dev_issuer: DevIssuer, email: str) -> None:
    body = request_body() | {"confirm_new": True}
    body["parent"] |= {"email": email, "phone": None}
    token = await dev_issuer.token_for("ppm-nantes")
    async with httpx.AsyncClient(base_url=served["urls"]["intake"], timeout=30) as intake:
        created = await intake.post(
            "/api/v1/requests", json=body, headers={"Authorization": f"Bearer {token}"}
        )
    assert created.status_code == 201, created.text


async def _check(page: Page, where: str, problems: list[str]) -> None:
    problems += [f"{where}: axe {v}" for v in await accessibility_violations(page)]
    wide = await page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth"
    )
    if wide:
        problems.append(f"{where}: scrolls sideways")


async def _ask(page: Page, base: str, right: str, email: str, problems: list[str]) -> None:
    await page.goto(f"{base}/vos-droits")
    await _check(page, "notice", problems)
    await page.get_by_role("button", name="Recevoir mon code").click()  # empty: errors
    await page.wait_for_load_state()
    focused = await page.evaluate("document.activeElement && document.activeElement.id")
    if focused != "erreurs":
        problems.append(f"notice: the focus is on {focused!r}, not the error summary")
    await _check(page, "notice with errors", problems)
    await page.get_by_text(right, exact=True).click()  # the DSFR's label covers its radio
    await page.get_by_text("Une famille accompagnée", exact=True).click()
    await page.get_by_label("Votre adresse électronique ou votre numéro").fill(email)
    await page.get_by_role("button", name="Recevoir mon code").click()
    await page.wait_for_url("**/vos-droits/*/code")
    await _check(page, "code", problems)


async def _prove(page: Page, code: str, problems: list[str]) -> None:
    await page.get_by_label("Code reçu").fill("000000" if code != "000000" else "111111")
    await page.get_by_role("button", name="Confirmer ma demande").click()
    await page.wait_for_load_state()
    assert "Il vous reste 4 essais" in await page.content()
    await _check(page, "wrong code", problems)
    await page.get_by_label("Code reçu").fill(code)
    await page.get_by_role("button", name="Confirmer ma demande").click()
    await page.get_by_role("heading", name="Votre demande est enregistrée").wait_for()
    await _check(page, "recorded", problems)


async def test_erasure_asked_on_a_phone_opens_the_case(
    served: dict[str, Any],
    dev_issuer: DevIssuer,
    browser: Browser,  # noqa: F811
) -> None:
    email = f"parent.{uuid.uuid4().hex[:8]}@example.org"
    await _family(served, dev_issuer, email)
    context = await browser.new_context(locale="fr-FR", viewport=PHONE)
    page = await context.new_page()
    problems: list[str] = []
    await _ask(page, served["urls"]["privacy"], "Effacer mes données (effacement)", email, problems)
    await _prove(page, await _code(served, email), problems)
    await context.close()
    token = await dev_issuer.token_for("dpo")
    async with httpx.AsyncClient(base_url=served["urls"]["privacy"]) as privacy:
        cases = await privacy.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
    erasures = [c for c in cases.json() if c["kind"] == "erasure"]

    assert problems == []
    assert len(erasures) == 1
    assert erasures[0]["subject_kind"] == "family"


async def test_access_asked_on_a_desktop_ends_with_the_export_behind_the_link(
    served: dict[str, Any],
    dev_issuer: DevIssuer,
    browser: Browser,  # noqa: F811
) -> None:
    email = f"parent.{uuid.uuid4().hex[:8]}@example.org"
    await _family(served, dev_issuer, email)
    problems: list[str] = []
    for size in (DESKTOP, PHONE):
        context = await browser.new_context(locale="fr-FR", viewport=size)
        page = await context.new_page()
        if size is DESKTOP:
            right = "Recevoir une copie de mes données (accès)"
            await _ask(page, served["urls"]["privacy"], right, email, problems)
            await _prove(page, await _code(served, email), problems)
            text = await _mail(served, email, "Vos données : votre copie est prête")
            found = re.search(r"(http\S+/vos-droits/export/\S+)", text)
            assert found
            url = found.group(1)
        await page.goto(url)
        await page.get_by_role("heading", name="Les données que le réseau Entraide").wait_for()
        assert "Diallo" in await page.content()
        await _check(page, f"export at {size['width']} px", problems)
        await context.close()

    assert problems == []


async def test_an_access_asked_in_arabic_opens_its_export_right_to_left_on_a_phone(
    served: dict[str, Any],
    dev_issuer: DevIssuer,
    browser: Browser,  # noqa: F811
) -> None:
    """Asked on the Arabic page, the export's link opens in Arabic on a phone set to French:
    right to left, on 390 px without scrolling sideways, axe-core clean."""
    email = f"parent.{uuid.uuid4().hex[:8]}@example.org"
    await _family(served, dev_issuer, email)
    async with httpx.AsyncClient(base_url=served["urls"]["privacy"], timeout=30) as privacy:
        await privacy.get("/vos-droits", params={"lang": "ar"})
        form = {"droit": "access", "qui": "family", "contact": email}
        asked = await privacy.post("/vos-droits", data=form)
        found = re.search(r"\b(\d{6})\b", await _mail(served, email, "رمزك"))
        assert found
        proved = await privacy.post(asked.headers["location"], data={"code": found.group(1)})
        assert proved.status_code == 200, proved.text
    link = re.search(r"(http\S+/vos-droits/export/\S+)", await _mail(served, email, "بياناتك"))
    assert link
    context = await browser.new_context(locale="fr-FR", viewport=PHONE)
    page = await context.new_page()
    problems: list[str] = []
    await page.goto(link.group(1))
    await page.get_by_role("heading", name="البيانات التي تحتفظ بها شبكة Entraide عنك").wait_for()
    root = await page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
    content = await page.content()
    await _check(page, "Arabic export at 390 px", problems)
    await context.close()

    assert link.group(1).endswith("?lang=ar")
    assert root == ["ar", "rtl"]
    assert "ملف العائلة" in content
    assert "Diallo" in content
    assert problems == []
