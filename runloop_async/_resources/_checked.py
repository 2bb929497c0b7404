"""Call-time argument checks for every resource method that takes ``**options``.

``**options: Unpack[RequestOptions]`` types the per-call options for a type checker,
but at run time Python accepts any keyword there, so a typo (``timout=0.5``,
``scenario=...``) used to be ignored silently. :func:`checked_methods` wraps each
such method once, when its class is created, to check the keywords and option
values before the method runs: a bad one raises :class:`InvalidArgumentError` naming
it and what the method takes, before any request (for ``list``, at the call, not
when the pager is first used).

On a wait (a method with its own ``timeout`` parameter, the wait's deadline), a
:class:`Timeout` or an ``httpx.Timeout``-like object is taken as in 1.x: the
timeout of each request the wait makes (see :mod:`._scope`); the deadline stays the
default.
"""

from __future__ import annotations

import functools
import inspect
import types
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from .._config import NOT_GIVEN, NotGiven, PollingConfig, Timeout
from .._exceptions import InvalidArgumentError
from .._scope import request_timeout_scope
from .._validate import (
    OPTION_KEYS,
    WAIT_OPTION_KEYS,
    check_idempotency_key,
    check_keywords,
    check_options,
    check_seconds,
)

__all__ = ["CallSpec", "check_own", "checked_methods", "own_checks"]

F = TypeVar("F", bound=Callable[..., Any])

#: Set on a method that runs its own checks (:func:`own_checks`).
_OWN_CHECKS = "__runloop_own_checks__"


class CallSpec:
    """What one method accepts, and the checks of one call of it (pure)."""

    __slots__ = ("allowed", "call", "is_wait", "unchecked")

    def __init__(self, call: str, named: frozenset[str], wait_options: bool) -> None:
        self.call = call
        self.is_wait = "timeout" in named
        self.allowed = named | (WAIT_OPTION_KEYS if wait_options else OPTION_KEYS)
        #: Keywords with nothing to check at call time (the method's own parameters
        #: but those below): a call with only these skips every check.
        self.unchecked = named - _CHECKED_PARAMS

    @classmethod
    def of(cls, owner: type, fn: Callable[..., Any]) -> CallSpec | None:
        """The spec of ``fn``, or ``None`` when it takes no ``**options``."""
        found = _parameters(fn)
        if found is None:
            return None
        named, var_kw_annotation = found
        # Annotations are strings here (``from __future__ import annotations``).
        wait_options = "WaitOptions" in str(var_kw_annotation)
        return cls(f"{owner.__name__}.{fn.__name__}", named, wait_options)

    def check(self, kwargs: dict[str, Any]) -> Timeout | None:
        """Check ``kwargs`` in place; return a per-request timeout a wait must apply.

        Raises:
            InvalidArgumentError: an unknown keyword or a bad value.
        """
        if kwargs.keys() <= self.unchecked:
            return None
        if not kwargs.keys() <= self.allowed:
            check_keywords(kwargs, self.allowed, self.call)
        check_options(kwargs)
        if "idempotency_key" in kwargs:
            check_idempotency_key(kwargs["idempotency_key"])
        if "polling_config" in kwargs:
            _check_polling_config(kwargs["polling_config"])
        if "timeout" not in kwargs:
            return None
        value = kwargs["timeout"]
        if isinstance(value, NotGiven):
            return None
        if not self.is_wait:
            Timeout.coerce(value)  # raises now, not at the first request
            return None
        if not _is_timeout_object(value):
            check_seconds(value, "timeout")
            return None
        kwargs["timeout"] = NOT_GIVEN
        return Timeout.coerce(value)


def _parameters(fn: Callable[..., Any]) -> tuple[frozenset[str], object] | None:
    """The parameter names of ``fn`` but the first and ``**options``, and the
    annotation of ``**options`` (``None``: ``fn`` takes no ``**``).

    Read from the code object: ``inspect.signature`` builds a ``Parameter`` per
    argument, about 20 us a method, for every resource method as its class is
    created at ``import runloop_async``. Anything that is not a plain function (or
    sets ``__signature__``) goes through ``inspect.signature``.
    """
    target = inspect.unwrap(fn)
    code = getattr(target, "__code__", None)
    if code is None or hasattr(target, "__signature__") or target is not fn:
        return _signature_parameters(fn)
    if not code.co_flags & inspect.CO_VARKEYWORDS:
        return None
    count = code.co_argcount + code.co_kwonlyargcount
    has_var_args = bool(code.co_flags & inspect.CO_VARARGS)
    names = code.co_varnames[: count + has_var_args + 1]
    var_kw = names[-1]
    return frozenset(names[1:-1]), fn.__annotations__.get(var_kw, inspect.Parameter.empty)


def _signature_parameters(fn: Callable[..., Any]) -> tuple[frozenset[str], object] | None:
    params = list(inspect.signature(fn).parameters.values())
    var_kw = [p for p in params if p.kind is inspect.Parameter.VAR_KEYWORD]
    if not var_kw:
        return None
    named = frozenset(p.name for p in params[1:] if p.kind is not inspect.Parameter.VAR_KEYWORD)
    return named, var_kw[0].annotation


#: Method parameters checked here (per-call options are, too).
_CHECKED_PARAMS = frozenset({"idempotency_key", "polling_config", "timeout"})


def _is_timeout_object(value: object) -> bool:
    return isinstance(value, Timeout) or all(
        hasattr(value, name) for name in ("connect", "read", "write", "pool")
    )


def _check_polling_config(value: object) -> None:
    if value is not None and not isinstance(value, PollingConfig):
        raise InvalidArgumentError(
            f"polling_config must be a runloop_async.PollingConfig or None, "
            f"got {type(value).__name__}"
        )


def _async_checked(
    check: Callable[[dict[str, Any]], Timeout | None], fn: Callable[..., Any]
) -> Callable[..., Any]:
    scope = request_timeout_scope

    async def checked_call(*args: Any, **kwargs: Any) -> Any:
        timeout = check(kwargs)
        if timeout is None:  # most calls: no context manager to enter
            return await fn(*args, **kwargs)
        with scope(timeout):
            return await fn(*args, **kwargs)

    return checked_call


def _sync_checked(
    check: Callable[[dict[str, Any]], Timeout | None], fn: Callable[..., Any]
) -> Callable[..., Any]:
    def checked_call(*args: Any, **kwargs: Any) -> Any:
        check(kwargs)
        return fn(*args, **kwargs)

    return checked_call


def _checking(spec: CallSpec, fn: Callable[..., Any]) -> Callable[..., Any]:
    """A wrapper of ``fn`` that runs ``spec.check`` first (async for coroutines)."""
    make = _async_checked if inspect.iscoroutinefunction(fn) else _sync_checked
    wrapper: Any = make(spec.check, fn)
    # Rebuilt over the method's own module globals: tools that evaluate the
    # method's (string) annotations against ``__globals__`` keep working. The
    # wrappers above use closure variables only, so they run the same under any globals.
    rebuilt = types.FunctionType(
        wrapper.__code__, fn.__globals__, fn.__name__, None, wrapper.__closure__
    )
    return functools.update_wrapper(rebuilt, fn)


def checked_methods(cls: type) -> None:
    """Wrap every public method of ``cls`` that takes ``**options`` (see module doc),
    but those marked :func:`own_checks`, which get their :class:`CallSpec` instead."""
    for name, member in list(vars(cls).items()):
        if name.startswith("_") or not inspect.isfunction(member):
            continue
        spec = CallSpec.of(cls, member)
        if spec is None:
            continue
        if getattr(member, _OWN_CHECKS, False):
            if spec.is_wait or not inspect.iscoroutinefunction(member):
                raise TypeError(f"{spec.call}: only an async call that is not a wait checks itself")
            member.call_spec = spec  # type: ignore[attr-defined]
        else:
            setattr(cls, name, _checking(spec, member))


def own_checks(fn: F) -> F:
    """Mark an async resource method (not a wait) that checks its keywords itself.

    :func:`checked_methods` leaves it unwrapped: one coroutine fewer on every call
    of the hottest methods (retrieve, score, start a run; benchmarks/RESULTS.md).
    Its body must start with ``if options: check_own(Cls.method, options)`` (the
    idempotency key, if it takes one, passed too), which runs the wrapper's checks.
    """
    setattr(fn, _OWN_CHECKS, True)
    return fn


def check_own(
    method: Callable[..., Any], options: Mapping[str, object], idempotency_key: object = None
) -> None:
    """The checks the wrapper runs, for a method marked :func:`own_checks`.

    Raises:
        InvalidArgumentError: an unknown keyword or a bad value.
    """
    if not options:  # the key alone: the one check the wrapper would run on it
        check_idempotency_key(idempotency_key)
        return
    spec: CallSpec = method.call_spec  # type: ignore[attr-defined]
    given = dict(options)
    if idempotency_key is not None:
        given["idempotency_key"] = idempotency_key
    spec.check(given)
