"""Pure argument checks (``_validate``), config value objects and timeout coercion."""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from runloop_async import (
    ConfigurationError,
    InvalidArgumentError,
    Limits,
    PollingConfig,
    RetryConfig,
    Timeout,
    WaitOptions,
)
from runloop_async._request import base_url_hint, check_api_key, normalize_base_url
from runloop_async._resources._checked import CallSpec
from runloop_async._validate import (
    check_count,
    check_header_map,
    check_idempotency_key,
    check_options,
    check_query_value,
    check_seconds,
    unencodable_path,
)

#: Values of every kind a user might pass by mistake.
ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(), st.text(max_size=5),
    st.binary(max_size=5), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.just(object()),
)  # fmt: skip


@given(st.floats(min_value=1e-9, max_value=1e12))
def test_positive_finite_seconds_pass_unchanged(value: float) -> None:
    assert check_seconds(value, "t") == value


@given(st.floats(max_value=0.0))
def test_zero_and_negative_seconds_are_refused(value: float) -> None:
    with pytest.raises(InvalidArgumentError, match="t must be"):
        check_seconds(value, "t")


@given(ANYTHING)
def test_check_seconds_never_raises_anything_else(value: object) -> None:
    try:
        result = check_seconds(value, "t")
    except InvalidArgumentError:
        return
    assert result is None or (isinstance(result, float) and math.isfinite(result) and result > 0)


def test_seconds_edge_cases() -> None:
    assert check_seconds(math.inf, "t") is None  # inf = no limit
    assert check_seconds(None, "t") is None
    assert check_seconds(0, "t", zero_ok=True) == 0.0
    for bad in (math.nan, -math.inf, True, "10", [1]):
        with pytest.raises(InvalidArgumentError):
            check_seconds(bad, "t")


@pytest.mark.parametrize("bad", [-1, "3", 2.0, True, None])
def test_counts_refuse_non_ints_and_negatives(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="max_retries"):
        check_count(bad, "max_retries")
    assert check_count(3, "max_retries") == 3


@given(st.dictionaries(st.text(min_size=1).filter(str.strip), ANYTHING, max_size=3))
def test_header_maps_give_str_headers_or_invalid_argument(value: dict[str, Any]) -> None:
    try:
        out = check_header_map(value, "extra_headers")
    except InvalidArgumentError:
        return
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in out.items())


@pytest.mark.parametrize(
    "bad", [["x"], "x: y", {"x": 1}, {1: "x"}, {"x": b"y"}, {"x": "a\r\nInjected: 1"}, {"": "v"}]
)
def test_bad_header_maps(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="extra_headers"):
        check_header_map(bad, "extra_headers")


def test_header_names_are_lower_cased() -> None:
    assert check_header_map({"X-Trace": "a"}, "h") == {"x-trace": "a"}


@pytest.mark.parametrize("bad", [123, "", "a\nb", b"key", ["k"]])
def test_bad_idempotency_keys(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="idempotency_key"):
        check_idempotency_key(bad)
    assert check_idempotency_key("k-1") == "k-1"
    assert check_idempotency_key(None) is None


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("scenario_id", "scn_1", True), ("scenario_id", 123, False),
        ("scenario_id", ["a", "b"], False), ("scenario_id", None, False),
        ("limit", 10, True), ("limit", "10", False), ("limit", True, False),
        ("include_total_count", False, True), ("include_total_count", "false", False),
    ],
)  # fmt: skip
def test_query_values(name: str, value: object, ok: bool) -> None:
    if ok:
        check_query_value(value, name)
    else:
        with pytest.raises(InvalidArgumentError, match=name):
            check_query_value(value, name)


def test_extra_query_takes_scalars_and_lists_of_them() -> None:
    check_options({"extra_query": {"a": 1, "b": ["x", 2], "c": True, "d": None}})
    with pytest.raises(InvalidArgumentError, match="extra_query"):
        check_options({"extra_query": {"a": {"nested": 1}}})
    with pytest.raises(InvalidArgumentError, match="extra_body"):
        check_options({"extra_body": ["x"]})
    with pytest.raises(InvalidArgumentError, match="max_retries"):
        check_options({"max_retries": "3"})


def test_unencodable_path_names_the_culprit() -> None:
    assert unencodable_path({"metadata": {"a": object()}}) == "$.metadata.a"
    assert unencodable_path({"xs": [1, {2: "x"}]}) == "$.xs[1] (key 2)"
    assert unencodable_path({"ok": [1, "a", None, 1.5]}) is None


# --- config value objects -------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs",
    [{"connect": -1}, {"read": 0}, {"total": math.nan}, {"pool": "3"}, {"read": True}],
)
def test_bad_timeouts(kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgumentError, match="Timeout"):
        Timeout(**kwargs)


def test_timeout_defaults_and_infinity() -> None:
    assert Timeout() == Timeout(connect=5.0, read=30.0, total=120.0, pool=None)
    assert Timeout(read=math.inf).read is None


@pytest.mark.parametrize(
    ("cls", "kwargs"),
    [
        (RetryConfig, {"max_retries": -1}), (RetryConfig, {"max_retries": "3"}),
        (RetryConfig, {"initial_delay": math.nan}), (RetryConfig, {"max_delay": -1.0}),
        (RetryConfig, {"max_retry_after": math.inf}), (RetryConfig, {"budget": -5}),
        (Limits, {"max_connections": 0}), (Limits, {"max_wait_connections": 1.5}),
        (Limits, {"keepalive_timeout": math.nan}), (Limits, {"max_response_size": 0}),
        (PollingConfig, {"interval_seconds": math.nan}), (PollingConfig, {"max_attempts": 0}),
        (PollingConfig, {"timeout_seconds": math.nan}),
    ],
)  # fmt: skip
def test_bad_config_values(cls: type, kwargs: dict[str, Any]) -> None:
    with pytest.raises(InvalidArgumentError, match=next(iter(kwargs))):
        cls(**kwargs)


@given(st.sampled_from(["connect", "read", "total", "pool"]), ANYTHING)
def test_any_timeout_part_is_valid_or_invalid_argument(name: str, value: object) -> None:
    with contextlib.suppress(InvalidArgumentError):
        Timeout(**{name: value})


@dataclass
class HttpxLikeTimeout:
    """What ``httpx.Timeout`` looks like from outside (no httpx dependency here)."""

    connect: float | None
    read: float | None
    write: float | None
    pool: float | None


def test_timeout_like_objects_map_onto_timeout() -> None:
    # httpx.Timeout(30.0, connect=5.0), the official SDK's default
    assert Timeout.coerce(HttpxLikeTimeout(5.0, 30.0, 30.0, 30.0)) == Timeout(
        connect=5.0, read=30.0, total=120.0, pool=30.0
    )
    assert Timeout.coerce(HttpxLikeTimeout(5.0, 600.0, None, None)).total == 600.0
    assert Timeout.coerce(HttpxLikeTimeout(None, None, None, None)) == Timeout(
        connect=None, read=None, total=None, pool=None
    )
    with pytest.raises(InvalidArgumentError, match=r"timeout\.read"):
        Timeout.coerce(HttpxLikeTimeout(5.0, -1.0, None, None))


@pytest.mark.parametrize("bad", ["10", b"10", [10], {"read": 1}, True, math.nan, -1, 0])
def test_bad_timeout_values_name_the_fix(bad: object) -> None:
    with pytest.raises(InvalidArgumentError, match="timeout"):
        Timeout.coerce(bad)


def test_capped_timeouts_never_exceed_the_time_left() -> None:
    capped = Timeout(connect=5, read=30, total=None, pool=None).capped(2.0)
    assert capped == Timeout(connect=2.0, read=2.0, total=2.0, pool=2.0)
    assert Timeout(connect=1).capped(2.0).connect == 1
    assert Timeout().capped(-1.0).total == 0.001


# --- client setup ----------------------------------------------------------------------


def test_api_keys_are_stripped_and_checked() -> None:
    assert check_api_key("  key-1\n") == "key-1"
    for bad in ("ke\ny", "ke y", "k\x00"):
        with pytest.raises(ConfigurationError) as info:
            check_api_key(bad)
        assert bad.strip() not in str(info.value)
    with pytest.raises(ConfigurationError, match="str"):
        check_api_key(123)


@pytest.mark.parametrize(
    "bad",
    ["", "   ", "api.runloop.ai", "ftp://host", "http://127.0.0.1:99999", "http://host:0",
     "http://host:x", "http://h/?q=1", "http://user:hunter2@host", 123],
)  # fmt: skip
def test_bad_base_urls(bad: object) -> None:
    with pytest.raises(ConfigurationError) as info:
        normalize_base_url(bad)
    assert "hunter2" not in str(info.value)
    assert "hunter2" not in repr(info.value)


def test_base_url_hint_only_for_a_v1_suffix_on_404() -> None:
    assert "ends in '/v1'" in base_url_hint("https://api.runloop.ai/v1", 404)
    assert base_url_hint("https://api.runloop.ai/v1", 500) == ""
    assert base_url_hint("https://api.runloop.ai", 404) == ""
    assert normalize_base_url(" https://api.runloop.ai/ ") == "https://api.runloop.ai"


# --- call specs ------------------------------------------------------------------------


def test_call_specs_refuse_unknown_keywords_and_name_the_allowed_ones() -> None:
    spec = CallSpec("AsyncRuns.list", frozenset({"scenario_id", "limit"}), wait_options=False)
    with pytest.raises(InvalidArgumentError) as info:
        spec.check({"scenario": "scn_1"})
    assert "'scenario'" in str(info.value)
    assert "scenario_id" in str(info.value)
    assert "extra_headers" in str(info.value)
    assert spec.check({"scenario_id": "scn_1", "timeout": 3}) is None


def test_a_wait_takes_a_timeout_object_as_each_request_timeout() -> None:
    spec = CallSpec("AsyncRuns.await_scored", frozenset({"id", "timeout"}), wait_options=True)
    kwargs: dict[str, Any] = {"timeout": HttpxLikeTimeout(5.0, 10.0, 10.0, 10.0)}
    per_request = spec.check(kwargs)
    assert per_request == Timeout(connect=5.0, read=10.0, total=120.0, pool=10.0)
    assert "timeout" in kwargs
    assert not kwargs["timeout"]
    assert spec.check({"timeout": 30}) is None
    with pytest.raises(InvalidArgumentError, match="extra_headers"):
        spec.check({"extra_headers": {"x": 1}})


def _resource_methods() -> list[Any]:
    import importlib
    import inspect
    import pkgutil

    import runloop_async._resources as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for cls in vars(module).values():
            if isinstance(cls, type) and cls.__module__ == module.__name__:
                found += [
                    inspect.unwrap(member)
                    for name, member in vars(cls).items()
                    if not name.startswith("_") and inspect.isfunction(member)
                ]
    return found


def test_call_specs_read_from_code_objects_match_inspect_signature() -> None:
    # CallSpec.of reads parameters from the code object (cheaper at import); it must
    # find what inspect.signature finds, for every resource method and odd shapes.
    from runloop_async._resources._checked import _parameters, _signature_parameters

    def odd(a: int, /, b: int, *args: int, c: int, **opts: WaitOptions) -> None: ...
    def bare(**kw: int) -> None: ...
    def no_options(self: object, a: int, *, b: int) -> None: ...

    methods = [*_resource_methods(), odd, bare, no_options]
    assert len(methods) > 30
    for fn in methods:
        assert _parameters(fn) == _signature_parameters(fn), fn.__qualname__
    assert _parameters(odd) == (frozenset({"b", "args", "c"}), "WaitOptions")
    assert _parameters(no_options) is None


def test_option_keys_are_the_typed_dicts_keys() -> None:
    # The checks use plain sets (no import of _config from _validate); they must say
    # what the public TypedDicts say.
    from runloop_async import RequestOptions, WaitOptions
    from runloop_async._validate import OPTION_KEYS, WAIT_OPTION_KEYS

    assert RequestOptions.__optional_keys__ == OPTION_KEYS
    assert WaitOptions.__optional_keys__ == WAIT_OPTION_KEYS
    assert not RequestOptions.__required_keys__
    assert not WaitOptions.__required_keys__
