"""WordPress exports (WXR, Tools → Export) into articles: posts, their authors, terms and images.

An export can be hundreds of megabytes, so it is streamed twice (wordpress_xml.py, which
also refuses hostile XML), each item dropped once read: a first pass learns what posts
refer to (the authors' display names, the attachments, the site's UTC offset), the
second reads the posts.

Only published posts are imported unless asked (`WordPressSelection`); a draft or any
status but `publish` is written with `draft: true`, so the build does not publish it.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from urllib.parse import unquote

from archivegen.content.slug import is_safe_slug, slugify
from archivegen.importers.html_fragment import fragment_text, fragment_to_markdown
from archivegen.importers.html_markdown import XmlElement
from archivegen.importers.model import FileNote, ImportedArticle, ImportOutcome, ReadItem, Status
from archivegen.importers.sources import RawFile
from archivegen.importers.wordpress_content import Attachment, post_html
from archivegen.importers.wordpress_selection import DEFAULT_SELECTION, WordPressSelection
from archivegen.importers.wordpress_xml import child_text, export_items, item_fields, postmeta

_ZERO_DATE = "0000-00-00 00:00:00"
_OFFSET_SAMPLE = 200  # posts whose two dates tell the site's offset


@dataclass(slots=True)
class _Site:
    """What the first pass learns: what posts refer to by login or id."""

    authors: dict[str, str] = field(default_factory=dict)  # login -> display name
    attachments: dict[str, Attachment] = field(default_factory=dict)  # id -> attachment
    children: dict[str, list[str]] = field(default_factory=dict)  # post id -> attachment ids
    offsets: Counter[timedelta] = field(default_factory=Counter)  # post_date - post_date_gmt


def read_wordpress(
    raw: RawFile, zone: tzinfo, selection: WordPressSelection = DEFAULT_SELECTION
) -> Iterator[ReadItem]:
    """The selected posts of an export, then a note of what was left out and why."""
    site = _survey(raw)
    local = _site_zone(site, zone)
    skipped: Counter[str] = Counter()
    for line, item in export_items(raw, strict=True):
        fields = item_fields(item)
        kind, status = fields.get("wp:post_type", "post"), fields.get("wp:status", "")
        if kind not in selection.types or status not in selection.statuses:
            skipped[_skip_label(kind, status, selection)] += 1
            continue
        yield from _post(item, fields, f"{raw.origin}:{line}", site, local)
    if skipped:
        listed = ", ".join(f"{n} {label}" for label, n in sorted(skipped.items()))
        yield FileNote(raw.origin, f"not imported: {listed} (see --wp-types and --wp-status)")


def _skip_label(kind: str, status: str, selection: WordPressSelection) -> str:
    if kind not in selection.types:
        return f"{kind} item(s)"
    return f"{kind} item(s) with status {status or 'none'}"


def _survey(raw: RawFile) -> _Site:
    """The first pass: authors, attachments and the site's offset; an XML error ends it
    quietly (the second pass reports it, after the posts before it)."""
    site = _Site()
    for _, el in export_items(raw, strict=False, authors=True):
        if el.tag.endswith("}author"):
            login = child_text(el, "wp:author_login")
            shown = child_text(el, "wp:author_display_name") or _full_name(el) or login
            site.authors[login] = html.unescape(shown)
            continue
        fields = item_fields(el)
        if fields.get("wp:post_type") == "attachment":
            _add_attachment(site, fields, el)
        elif sum(site.offsets.values()) < _OFFSET_SAMPLE:
            local, utc = _naive(fields.get("wp:post_date")), _naive(fields.get("wp:post_date_gmt"))
            if local and utc:
                site.offsets[local - utc] += 1
    return site


def _full_name(el: XmlElement) -> str:
    return " ".join(
        p
        for p in (child_text(el, "wp:author_first_name"), child_text(el, "wp:author_last_name"))
        if p
    )


def _add_attachment(site: _Site, fields: dict[str, str], item: XmlElement) -> None:
    url = fields.get("wp:attachment_url") or fields.get("guid", "")
    if not url:
        return
    post_id, parent = fields.get("wp:post_id", ""), fields.get("wp:post_parent", "0")
    site.attachments[post_id] = Attachment(
        url=url.strip(),
        title=html.unescape(fields.get("title", "")),
        caption=fragment_text(fields.get("excerpt:encoded", "")),
        alt=postmeta(item).get("_wp_attachment_image_alt", ""),
        parent=parent,
    )
    if parent != "0":
        site.children.setdefault(parent, []).append(post_id)


@dataclass(frozen=True, slots=True)
class _Zone:
    """The zone a post's local date is read in, and where it came from (for the note)."""

    zone: tzinfo
    why: str


def _site_zone(site: _Site, zone: tzinfo) -> _Zone:
    """The site's UTC offset as its posts show it (local time minus UTC), else zone.

    WXR does not say the site's timezone, but every post with both dates shows its offset.
    """
    offset = site.offsets.most_common(1)[0][0] if site.offsets else None
    if offset is None or not _plausible_offset(offset):
        return _Zone(zone, "the import's timezone (no post of the export shows the site's)")
    return _Zone(timezone(offset), "the site's offset (post_date - post_date_gmt of its posts)")


def _post(
    item: XmlElement, fields: dict[str, str], origin: str, site: _Site, local: _Zone
) -> Iterator[ReadItem]:
    title = fragment_text(fields.get("title", ""))
    if not title:
        yield ImportOutcome(origin, Status.FAILED, reason="title: the post has none")
        return
    link = fields.get("link", "").strip() or None
    post_id = fields.get("wp:post_id", "")
    content = post_html(fields.get("content:encoded", ""), post_id, site.attachments, site.children)
    body = fragment_to_markdown(content, link)
    excerpt = fragment_text(fields.get("excerpt:encoded", ""))
    if not body and excerpt:
        body, excerpt = fragment_to_markdown(fields["excerpt:encoded"], link), ""
        yield FileNote(origin, "body: the post has no content: its excerpt was imported")
    if not body:
        yield ImportOutcome(origin, Status.FAILED, reason="body: the post has no text")
        return
    date, note = _post_date(fields, local)
    if note:
        yield FileNote(origin, note)
    categories, tags = _terms(item)
    creator = fields.get("dc:creator", "").strip()
    yield ImportedArticle(
        title=title,
        date=date,
        body=body,
        origin=origin,
        authors=(site.authors.get(creator, creator),) if creator else (),
        category=categories[0] if categories else None,
        tags=tuple(dict.fromkeys((*tags, *categories[1:]))),
        image_caption=_featured(item, site).caption or None,
        source=link,
        extra=_extra(item, fields, site, excerpt),
        updated=_updated(fields, date),
        draft=fields.get("wp:status") != "publish",
    )


def _post_date(fields: dict[str, str], local: _Zone) -> tuple[datetime | None, str | None]:
    """The post's UTC date, else its local date in the site's zone (with a note saying so)."""
    utc, shown = _naive(fields.get("wp:post_date_gmt")), _naive(fields.get("wp:post_date"))
    if utc is not None:  # the moment; shown at the post's own offset, as its site showed it
        offset = shown - utc if shown else timedelta(0)
        zone = timezone(offset) if _plausible_offset(offset) else UTC
        return utc.replace(tzinfo=UTC).astimezone(zone), None
    if shown is None:
        return None, None
    moment = shown.replace(tzinfo=local.zone)
    note = (
        f"date: wp:post_date_gmt is {_ZERO_DATE}: wp:post_date {shown:%Y-%m-%d %H:%M} read"
        f" at UTC{moment.isoformat()[-6:]}, {local.why}"
    )
    return moment, note


def _plausible_offset(offset: timedelta) -> bool:
    """A UTC offset some zone has: under 15 hours, in quarter hours (UTC+05:45 is Nepal's)."""
    return abs(offset) < timedelta(hours=15) and offset % timedelta(minutes=15) == timedelta(0)


def _updated(fields: dict[str, str], date: datetime | None) -> datetime | None:
    # WordPress 5.x and later export the last edit as well
    modified = _naive(fields.get("wp:post_modified_gmt"))
    moment = modified.replace(tzinfo=UTC) if modified else None
    return moment if moment and date and moment > date else None


def _naive(value: str | None) -> datetime | None:
    if not value or value.strip() == _ZERO_DATE:
        return None
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return None


def _terms(item: XmlElement) -> tuple[list[str], list[str]]:
    """The post's categories (the default `uncategorized` last) and tags, in order."""
    categories: list[tuple[bool, str]] = []
    tags: list[str] = []
    for el in item.iterchildren("category"):
        name = html.unescape(" ".join((el.text or "").split()))
        if not name:
            continue
        if el.get("domain") == "category":
            categories.append((el.get("nicename") == "uncategorized", name))
        elif el.get("domain") == "post_tag":
            tags.append(name)
    ordered = [name for _, name in sorted(categories, key=lambda c: c[0])]
    return list(dict.fromkeys(ordered)), list(dict.fromkeys(tags))


def _extra(
    item: XmlElement, fields: dict[str, str], site: _Site, excerpt: str
) -> tuple[tuple[str, str], ...]:
    extra: list[tuple[str, str]] = []
    image = _featured(item, site).url
    if image:
        extra.append(("image", image))
    slug = _slug(fields.get("wp:post_name", ""))
    if slug:
        extra.append(("slug", slug))
    if excerpt:
        extra.append(("excerpt", excerpt))
    return tuple(extra)


def _featured(item: XmlElement, site: _Site) -> Attachment:
    """The post's featured image (`_thumbnail_id`), or an attachment without a URL."""
    found = site.attachments.get(postmeta(item).get("_thumbnail_id", ""))
    return found or Attachment(url="")


def _slug(name: str) -> str | None:
    """wp:post_name as a slug: as it is when safe, else made from its (percent-decoded) text."""
    name = name.strip()
    if not name:
        return None
    return name if is_safe_slug(name) else slugify(unquote(name)) or None
