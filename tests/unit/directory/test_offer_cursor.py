"""The staff offers API's cursor: a mark as opaque text and back, nothing else read."""

import base64
import json
from datetime import UTC, datetime

import pytest

from entraide.directory.domain.offers import listing
from entraide.directory.entrypoints.http.offers import cursor


def test_a_mark_reads_back_as_it_was_written():
    mark = listing.Mark(
        datetime(2026, 12, 2, 1, 30, tzinfo=UTC),
        "reminder",
        listing.sort_key("Paris 2e", "Île-de-France"),
        "0123456789abcdef01234567",
    )
    assert cursor.decode(cursor.encode(mark)) == mark


def raw(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    "text",
    [
        "abc",
        raw([]),
        raw({"moment": "2026-12-02T01:30:00+00:00", "partie": "old", "cle": "a", "action": "x"}),
        raw(
            {
                "moment": "2026-12-02T01:30:00+00:00",
                "partie": "fresh",
                "cle": {"$gt": ""},
                "action": "x",
            }
        ),
        raw({"moment": "hier", "partie": "fresh", "cle": "a", "action": "x"}),
        raw({"moment": "2026-12-02T01:30:00", "partie": "fresh", "cle": "a", "action": "x"}),
        raw({"moment": "2026-12-02T01:30:00+00:00", "partie": "fresh", "cle": "a"}),
    ],
)
def test_anything_else_is_refused(text: str):
    with pytest.raises(cursor.CursorError):
        cursor.decode(text)
