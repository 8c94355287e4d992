"""The YAML rules shared by site.yaml and front matter: no key twice, no alias bomb.

PyYAML lets a later duplicate key silently replace the first one, and builds an alias
(`*a`) as a shared object, so a "billion laughs" document loads in a millisecond and then
hangs whoever walks it (a `repr`, a JSON dump). Both are refused while the document is
built, with the line of the offending key, so the callers can name it.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

# how far aliases may grow a document beyond its own nodes and characters: far above any
# honest reuse of an anchor, far below what hangs a build
MAX_ALIAS_GROWTH = 1_000_000
_MERGE = "tag:yaml.org,2002:merge"


class DuplicateKeyError(yaml.YAMLError):
    """A mapping holds one key twice; `line` (0-based) is the second occurrence."""

    def __init__(self, key: object, line: int, first_line: int) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key, self.line, self.first_line = key, line, first_line


class AliasBombError(yaml.YAMLError):
    """Aliases expand the document past MAX_ALIAS_GROWTH (or into itself)."""

    def __init__(self, line: int) -> None:
        super().__init__("aliases expand too far")
        self.line = line  # 0-based: the document's start


class NumberTooLongError(yaml.YAMLError):
    """An integer too long for Python to read (its digit limit); `line` is 0-based."""

    def __init__(self, line: int) -> None:
        super().__init__("number too long")
        self.line = line


class StrictConstructor(yaml.constructor.SafeConstructor):
    """SafeConstructor that refuses duplicate keys, integers past Python's digit limit
    (a ValueError that is no YAMLError) and documents that aliases blow up."""

    def construct_document(self, node: yaml.Node) -> Any:
        if alias_growth(node) > MAX_ALIAS_GROWTH:
            raise AliasBombError(node.start_mark.line)
        return super().construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[object, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue  # `<<: *base` is meant to be overridden by the keys beside it
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.setdefault(key, key_node.start_mark.line)
            except TypeError:
                continue  # an unhashable key: the base constructor names that problem
            if first != key_node.start_mark.line:
                raise DuplicateKeyError(key, key_node.start_mark.line, first)
        return super().construct_mapping(node, deep)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            raise NumberTooLongError(node.start_mark.line) from None


# the table maps a tag to a function, not a method name: the override must be registered
StrictConstructor.add_constructor(  # type: ignore[type-var]  # typed for Loader classes only
    "tag:yaml.org,2002:int", StrictConstructor.construct_yaml_int
)


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a document was refused, where (a line of the file), and under which key."""

    message: str
    line: int | None
    field: str | None = None


def refusal(
    exc: yaml.YAMLError, first: int, document: str, keys: Callable[[], dict[str, int]]
) -> Refusal:
    """A loading error in words. `first`: the file's line of the document's first line (front
    matter starts below its `---`); `document` names it as a sentence starts ("the file",
    "front matter"); `keys` gives each key's line, read only when a number's key is named."""
    if isinstance(exc, DuplicateKeyError):
        message = f"given twice (first on line {exc.first_line + first}); keep one"
        return Refusal(message, exc.line + first, str(exc.key))
    if isinstance(exc, NumberTooLongError):
        line = exc.line + first
        message = (
            f"is a number of more than {sys.get_int_max_str_digits():,} digits; "
            "quote it if it is text"
        )
        return Refusal(message, line, key_at(keys(), line))
    if isinstance(exc, AliasBombError):
        message = (
            f"YAML aliases expand {_the(document)} by more than {MAX_ALIAS_GROWTH:,} nodes and "
            "characters; write the values out"
        )
        return Refusal(message, exc.line + first)
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    at = mark.line + first if mark is not None else None
    subject = "" if document == "the file" else f"{document} is "
    return Refusal(f"{subject}not valid YAML: {problem}", at)


def _the(document: str) -> str:
    return document if document.startswith("the ") else f"the {document}"


def key_at(lines: dict[str, int], line: int) -> str | None:
    """The (deepest) key whose value holds `line`, given each key's line."""
    before = [(at, len(key), key) for key, at in lines.items() if at <= line]
    return max(before)[2] if before else None


def alias_growth(root: yaml.Node) -> float:
    """How many nodes and characters aliases add to a node tree (infinite for a cycle).

    Iterative, with each node's expanded size remembered: deeply nested documents are
    fine, and a bomb is measured in as many steps as it has nodes, not as it expands to.
    """
    expanded: dict[int, float] = {}
    own_total = 0
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_nodes: set[int] = set()
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            open_nodes.discard(key)
            expanded[key] = _own_size(node) + sum(expanded[id(c)] for c in _children(node))
            continue
        if key in expanded:
            continue
        if key in open_nodes:
            return float("inf")  # an anchor inside itself expands without end
        open_nodes.add(key)
        own_total += _own_size(node)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in expanded)
    return expanded[id(root)] - own_total


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _own_size(node: yaml.Node) -> int:
    return 1 + (len(node.value) if isinstance(node, yaml.ScalarNode) else 0)
