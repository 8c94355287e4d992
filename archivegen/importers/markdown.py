"""Plain paragraphs into Markdown that a CommonMark renderer gives back verbatim.

Only characters that would change meaning are escaped (a paragraph starting with `1.` or
`#`, a `*word*`, an `<b>`, an `&amp;`), so the Markdown stays readable as plain text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_BACKSLASH = re.compile(r"\\(?=[!-/:-@\[-`{-~])")  # a backslash before ASCII punctuation
_ALWAYS = re.compile(r"([`\[\]])")
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
_ENTITY = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_DOUBLE_TILDE = re.compile(r"~(?=~)")

_BLOCK_STARTS = (
    re.compile(r"^(#{1,6})(?=\s|$)"),  # ATX heading
    re.compile(r"^(>)"),  # block quote
    re.compile(r"^([-+*])(?=\s|$)"),  # bullet list item
    re.compile(r"^(\d{1,9})(?=[.)](?:\s|$))"),  # ordered list item: escape the dot instead
    re.compile(r"^([-_*])(?=(?:\s*\1){2,}\s*$)"),  # thematic break
    re.compile(r"^(=+)(?=\s*$)"),  # setext underline
    re.compile(r"^(~~~)"),  # fenced code
)


def paragraphs_to_markdown(paragraphs: Iterable[str]) -> str:
    """Join paragraphs into a Markdown body, one block each, escaped where needed."""
    blocks = (escape_paragraph(p) for p in paragraphs)
    return "\n\n".join(b for b in blocks if b)


def escape_paragraph(text: str) -> str:
    """Escape one paragraph of plain text (lines joined by spaces) for CommonMark."""
    line = " ".join(part.strip() for part in text.splitlines() if part.strip())
    line = escape_inline(line.strip())
    return escape_block_start(line)


def escape_inline(text: str) -> str:
    """Escape the characters of a text run that inline Markdown would read as markup."""
    text = _BACKSLASH.sub(r"\\\\", text)
    text = _ALWAYS.sub(r"\\\1", text)
    text = _TAG_START.sub(r"\\<", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _DOUBLE_TILDE.sub(r"\\~", text)
    return _escape_emphasis(text)


def _escape_emphasis(text: str) -> str:
    """Escape `*` and `_` unless they cannot open or close emphasis."""
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch in "*_" and _may_delimit(text, i):
            out.append("\\")
        out.append(ch)
    return "".join(out)


def _may_delimit(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    if before == "\\":
        return False
    if text[i] == "_":
        # snake_case: an underscore between word characters never delimits
        return not (before.isalnum() and after.isalnum())
    # "2 * 3": a star between spaces never delimits
    return not (before.isspace() and after.isspace())


def escape_block_start(line: str) -> str:
    """Escape a line start that would open a block (`# `, `> `, `- `, `1. `, `---`)."""
    for pattern in _BLOCK_STARTS:
        m = pattern.match(line)
        if m is None:
            continue
        if pattern.pattern.startswith(r"^(\d"):
            end = m.end()
            return line[:end] + "\\" + line[end:]
        return "\\" + line
    return line
