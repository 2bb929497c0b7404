"""The JSON layer: both backends agree, and an unencodable value is a typed error."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runloop_async import AsyncRunloop, InvalidArgumentError, _jsonlib
from runloop_async._jsonlib import _std_dumps, _std_loads, dumps, encode_with, loads

ENCODERS: list[Callable[[Any], bytes]] = [_std_dumps]
try:
    import orjson

    ENCODERS.append(orjson.dumps)
except ImportError:  # pragma: no cover - the speedups extra is not installed
    pass

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53), 2**53) | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)  # fmt: skip


@given(JSON)
def test_both_backends_round_trip_alike(value: Any) -> None:
    for encoder in ENCODERS:
        assert _std_loads(encode_with(encoder, value)) == value
    assert loads(dumps(value)) == value


@pytest.mark.parametrize("encoder", ENCODERS)
@pytest.mark.parametrize("bad", [{"a": object()}, {"s": {1, 2}}, [b"bytes"]])
def test_unencodable_values_are_a_typed_error(encoder: Callable[[Any], bytes], bad: Any) -> None:
    with pytest.raises(InvalidArgumentError, match="cannot send this value as JSON"):
        encode_with(encoder, bad)


def test_the_package_encoder_is_one_of_them() -> None:
    assert _jsonlib._dumps in ENCODERS


@pytest.mark.anyio
async def test_a_request_with_an_unencodable_field_sends_nothing(runloop_emulator: Any) -> None:
    async with AsyncRunloop(runloop_emulator.api_key, runloop_emulator.base_url) as client:
        with pytest.raises(InvalidArgumentError):
            await client.scenarios.create(
                name="x",
                input_context={"problem_statement": "p"},
                scoring_contract={"scoring_function_parameters": []},
                metadata={"a": object()},  # type: ignore[dict-item]
            )
    assert runloop_emulator.requests == []
