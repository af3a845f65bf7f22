"""The APIs' cursors: what a client sends that we did not write is refused, never a 500."""

import pytest

from entraide.kit.opaque import CursorError, pack, unpack


def test_a_cursor_comes_back_as_written() -> None:
    fields = {"apres": ["2026-12-02T01:00:00+00:00", "a1b2"], "rang": 2}
    assert unpack(pack(fields)) == fields


@pytest.mark.parametrize(
    "sent",
    [
        "Ω≈ç√∫µ≤≥÷åß∂ƒ©",  # not ASCII: base64 refuses it with a bare ValueError
        "2¾\x041à",
        "%%%",
        "bm90IGpzb24",  # base64 of « not json »
        "WzEsMl0",  # base64 of [1,2]: JSON, not an object
        "",
    ],
)
def test_anything_else_is_a_cursor_error(sent: str) -> None:
    with pytest.raises(CursorError):
        unpack(sent)
