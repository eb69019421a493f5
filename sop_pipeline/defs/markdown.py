"""Values from the export drop shown in Dagster's markdown metadata, made inert.

`MetadataValue.md` is rendered as markdown, inline HTML included: a family or SKU named
`**x**`, `[x](javascript:...)` or `<img src=x onerror=...>` would format the page or inject
into it. Every value from the drop that goes into markdown passes `markdown_text` first; plain
metadata values (text, tables) are not rendered and stay as they are.
"""

from __future__ import annotations

# CommonMark lets any ASCII punctuation be escaped with a backslash; these are the characters
# that open emphasis, code, links, tables, headings, lists or escapes
MARKDOWN_SPECIALS = frozenset("\\`*_{}[]()#+-.!|~")
HTML_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"}


def markdown_text(value: object) -> str:
    """`value` as markdown text that renders as exactly its characters, on one line."""
    text = " ".join(str(value).splitlines())
    return "".join(
        HTML_ENTITIES.get(ch, f"\\{ch}" if ch in MARKDOWN_SPECIALS else ch) for ch in text
    )
