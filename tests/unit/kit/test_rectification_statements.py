"""The owner of a record reads a rectification's statement from privacy as its staff open
the record: with its own service token, one case after another, a case privacy no longer
knows left out; privacy unreachable, the page is told so (nothing is kept, nothing logged
of the words)."""

import logging

import httpx

from entraide.kit.keyvault_client import verify_service_token
from entraide.kit.rectification_statements import PrivacyStatements, Said

SECRET = "s" * 32
SAID = "Mon nom s'écrit Dupond, pas Dupont."


def _privacy(answers: dict[str, httpx.Response], asked: list[tuple[str, str]]):
    def handle(request: httpx.Request) -> httpx.Response:
        token = request.headers["Authorization"].removeprefix("Bearer ")
        asked.append((verify_service_token(token, {"intake": SECRET}), request.url.path))
        return answers[request.url.path.split("/")[-2]]

    return httpx.MockTransport(handle)


async def test_the_words_of_each_case_are_read_with_the_owners_token() -> None:
    asked: list[tuple[str, str]] = []
    answers = {
        "case-0001": httpx.Response(200, json={"statement": SAID}),
        "case-0002": httpx.Response(200, json={"statement": None}),  # nothing written
        "case-0003": httpx.Response(404, json={"detail": "inconnu"}),
    }
    statements = PrivacyStatements(
        "intake", "http://privacy", SECRET, transport=_privacy(answers, asked)
    )
    said = await statements.of(["case-0001", "case-0002", "case-0003"])
    assert said == Said([SAID])
    assert asked == [
        ("intake", f"/internal/v1/rectifications/{case}/statement")
        for case in ("case-0001", "case-0002", "case-0003")
    ]
    assert await statements.of([]) == Said(), "no case flagged: privacy is not asked"
    assert len(asked) == 3


async def test_privacy_unreachable_is_said_and_logs_no_words(caplog) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    statements = PrivacyStatements(
        "intake", "http://privacy", SECRET, transport=httpx.MockTransport(down)
    )
    with caplog.at_level(logging.WARNING):
        said = await statements.of(["case-0001"])
    assert said == Said([], unavailable=True)
    assert "case-0001" not in caplog.text
