"""Fingerprints that decide whether a page must be rendered again.

A page's output is a pure function of (site, templates, page value), so a hash of those
three is a safe cache key: equal fingerprints mean equal bytes. A change we cannot see
(a new archivegen version) is folded into the salt, so the cache never outlives it.
"""

from __future__ import annotations

import hashlib
import io
import pickle

import jinja2
from jinja2 import meta

from archivegen import __version__
from archivegen.graph.model import Page, SiteInfo


def digest(*parts: bytes) -> str:
    """A short, fast, collision-resistant digest of some bytes."""
    h = hashlib.blake2b(digest_size=16)
    for part in parts:
        h.update(part)
        h.update(b"\x00")
    return h.hexdigest()


def template_digests(env: jinja2.Environment) -> dict[str, str]:
    """Per template: a digest of its source and of every template it extends/includes/imports.

    A template that names another through a variable could reach any template, so it
    depends on all of them: we trade a few needless renders for never a stale page.
    """
    loader = env.loader
    assert loader is not None
    sources: dict[str, str] = {}
    references: dict[str, set[str] | None] = {}
    for name in env.list_templates():
        source, _, _ = loader.get_source(env, name)
        sources[name] = source
        try:
            found = set(meta.find_referenced_templates(env.parse(source)))
        except jinja2.TemplateSyntaxError:
            found = None  # the render will report the error; depend on everything till then
        references[name] = None if found is None or None in found else {str(f) for f in found}
    everything = digest(*(f"{n}\n{s}".encode() for n, s in sorted(sources.items())))
    return {name: _closure_digest(name, sources, references, everything) for name in sources}


def _closure_digest(
    name: str,
    sources: dict[str, str],
    references: dict[str, set[str] | None],
    everything: str,
) -> str:
    seen: set[str] = set()
    stack = [name]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        refs = references.get(current, set())
        if refs is None:
            return everything
        stack.extend(refs)
    return digest(*(f"{n}\n{sources.get(n, '')}".encode() for n in sorted(seen)))


def value_bytes(value: object) -> bytes:
    """A serialization of a value tree that depends on its values only, never on identity.

    Plain pickle memoizes objects by id, so two equal pages whose strings happen to be
    shared differently would pickle differently; "fast" mode turns the memo off (safe for
    our acyclic frozen records) and is quicker too.
    """
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True
    pickler.dump(value)
    return buffer.getvalue()


def render_salt(site: SiteInfo, config_digest: str) -> str:
    """What every page depends on besides itself: archivegen, the config, the site info."""
    return digest(__version__.encode(), config_digest.encode(), value_bytes(site))


def page_fingerprint(page: Page, salt: str, templates: dict[str, str]) -> str:
    """The cache key of one page's output."""
    template = templates.get(page.template, "") if page.template else ""
    return digest(salt.encode(), template.encode(), value_bytes(page))
