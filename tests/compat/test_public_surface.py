"""The names this drop-in work added are public, documented and say what they raise."""

from __future__ import annotations

import inspect

import runloop_async

NEW_NAMES = {
    "APIResponse", "AsyncAPIResponse", "BaseAPIResponse", "BasePage", "GatewaySpecs",
    "Headers", "McpSpecs", "Model", "NULL", "NoNextPageError", "Null", "PageInfo",
    "PollingTimeout", "RawRequest", "SyncPage",
}  # fmt: skip

#: Methods that send requests (or may fail) and so must name what they raise.
MUST_SAY_RAISES = {
    (runloop_async.Page, "get_next_page"),
    (runloop_async.SyncPage, "get_next_page"),
    (runloop_async.SyncPage, "to_list"),
    (runloop_async.APIResponse, "parse"),
    (runloop_async.AsyncAPIResponse, "parse"),
    (runloop_async.APIResponse, "json"),
    (runloop_async.AsyncAPIResponse, "json"),
    (runloop_async.AsyncPager, "fetch_page"),
}


def test_new_names_are_exported() -> None:
    assert set(runloop_async.__all__) >= NEW_NAMES
    assert "SyncPager" not in runloop_async.__all__  # replaced by SyncPage


def test_new_classes_and_their_public_methods_are_documented() -> None:
    for name in NEW_NAMES:
        value = getattr(runloop_async, name)
        cls = value if inspect.isclass(value) else type(value)
        assert inspect.getdoc(cls), name
        for member_name, member in vars(cls).items():
            if member_name.startswith("_"):
                continue
            if inspect.isfunction(member) or isinstance(member, property):
                assert inspect.getdoc(member), f"{name}.{member_name}"


def test_fetching_methods_say_what_they_raise() -> None:
    lacking = [
        f"{cls.__name__}.{name}"
        for cls, name in MUST_SAY_RAISES
        if "Raises:" not in (inspect.getdoc(getattr(cls, name)) or "")
    ]
    assert lacking == []


def test_resources_document_their_raw_response_wrappers() -> None:
    client = runloop_async.AsyncRunloop("k", "http://127.0.0.1:9")
    for prop in ("with_raw_response", "with_streaming_response"):
        assert inspect.getdoc(getattr(type(client.scenarios), prop))
    with runloop_async.Runloop("k", "http://127.0.0.1:9") as sync_client:
        for prop in ("with_raw_response", "with_streaming_response"):
            assert inspect.getdoc(getattr(type(sync_client.scenarios), prop))
