"""mkdocs hooks: tidy Sphinx roles left in docstrings.

The package's docstrings use Sphinx roles (``:class:`Timeout```) because they read
well in ``help()`` and IDEs; mkdocstrings renders them as a stray ``:class:`` before
the code span. This drops the role (and, as Sphinx does for ``~``, the dotted prefix).
"""

from __future__ import annotations

import re
from typing import Any

_ROLE = re.compile(r":(?:class|meth|func|attr|data|exc|mod|obj):<code>(~?)([\w.]+)(\(\))?</code>")


def tidy_roles(html: str) -> str:
    """``:class:<code>~a.b.C</code>`` -> ``<code>C</code>``; the role is dropped."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(2).rsplit(".", 1)[-1] if match.group(1) else match.group(2)
        return f"<code>{name}{match.group(3) or ''}</code>"

    return _ROLE.sub(repl, html)


def on_page_content(html: str, **_: Any) -> str:
    """mkdocs hook: applied to every rendered page."""
    return tidy_roles(html)
