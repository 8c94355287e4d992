"""IndoSum JSONL (Kurniawan & Louvan 2018, CC BY-SA 4.0): tokenized articles into prose.

Each record has `id` (unix time + slug), `category`, `source`, `source_url` and
`paragraphs` (lists of sentences of tokens); no title or author. The title is rebuilt
from the URL slug (else the id's), with each word cased as the article itself writes it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from urllib.parse import urlsplit

from archivegen.errors import ImportError_
from archivegen.importers.boilerplate import is_boilerplate_line
from archivegen.importers.dates import WIB
from archivegen.importers.markdown import paragraphs_to_markdown
from archivegen.importers.model import FileNote, ImportedArticle, ImportOutcome, ReadItem, Status
from archivegen.importers.sources import RawFile, jsonl_records

LICENSE = "CC BY-SA 4.0"
CREDIT = "IndoSum (Kurniawan & Louvan, 2018), CC BY-SA 4.0"

_NO_SPACE_BEFORE = frozenset(".,;:!?)]}%”’…")
_NO_SPACE_AFTER = frozenset("([{“‘")
_TOGGLE_QUOTES = frozenset({'"', "'"})
# small words Indonesian headlines keep in lower case
_SMALL_WORDS = frozenset({
    "di", "ke", "dari", "dan", "yang", "untuk", "pada", "dengan", "atau", "dalam", "oleh",
    "bagi", "tentang", "sebagai", "karena", "agar", "serta", "tapi", "tetapi", "namun", "jika",
    "kalau", "hingga", "sampai", "the", "of", "and", "vs", "via", "per",
})  # fmt: skip
_ID = re.compile(r"^(?P<time>\d{9,11})-(?P<slug>[a-z0-9-]*)$")
_ID_SLUG_CUT = 50  # IndoSum ids cut their slug at 50 characters, often mid-word


def is_indosum_record(record: Mapping[str, object]) -> bool:
    """True for a JSON object shaped like an IndoSum article."""
    return "paragraphs" in record and "id" in record and "source_url" in record


def read_indosum(raw: RawFile) -> Iterator[ReadItem]:
    """Each line of an IndoSum JSONL file as an article, or a failure naming the line."""
    for item in jsonl_records(raw):
        if isinstance(item, ImportOutcome | FileNote):
            yield item
            continue
        origin, record = item
        try:
            yield indosum_article(record, origin)
        except ImportError_ as exc:
            yield ImportOutcome(origin, Status.FAILED, reason=exc.message)


def indosum_article(record: object, origin: str) -> ImportedArticle:
    """One IndoSum record into an article (title from the slug, date from the id)."""
    if not isinstance(record, dict) or not is_indosum_record(record):
        raise ImportError_("not an IndoSum record (needs id, paragraphs, source_url)", path=origin)
    m = _ID.match(str(record["id"]))
    if m is None:
        raise ImportError_(f"id {record['id']!r} does not start with a unix time", path=origin)
    paragraphs = [detokenize_paragraph(p) for p in _token_paragraphs(record["paragraphs"], origin)]
    paragraphs = [p for p in paragraphs if p and not is_boilerplate_line(p)]
    if not paragraphs:
        raise ImportError_("no paragraphs", path=origin, field="paragraphs")
    url = str(record.get("source_url") or "")
    publisher = str(record.get("source") or "")
    extra = [
        ("license", LICENSE),
        ("credit", CREDIT + (f"; first published by {publisher}" if publisher else "")),
    ]
    summary = record.get("summary")
    if isinstance(summary, list) and summary:
        extra.append(("summary", detokenize_paragraph(summary)))
    return ImportedArticle(
        title=rebuild_title(url, m["slug"], paragraphs),
        date=datetime.fromtimestamp(int(m["time"]), WIB),
        body=paragraphs_to_markdown(paragraphs),
        origin=origin,
        category=str(record.get("category") or "").title() or None,
        source=url or None,
        extra=tuple(extra),
    )


def _token_paragraphs(value: object, origin: str) -> list[list[list[str]]]:
    if not isinstance(value, list) or not all(isinstance(p, list) for p in value):
        raise ImportError_("paragraphs must be lists of sentences of tokens", path=origin)
    return [[[str(t) for t in s] for s in p if isinstance(s, list)] for p in value]


def detokenize_paragraph(sentences: Sequence[Sequence[str]]) -> str:
    """Join tokenized sentences into prose: no space before punctuation, quotes hug words."""
    return detokenize([t for s in sentences for t in s])


def detokenize(tokens: Sequence[str]) -> str:
    """Join tokens into text the way Indonesian news prints it."""
    words = [t for t in (tok.replace("\xa0", " ").strip() for tok in tokens) if t]
    out: list[str] = []
    open_quotes: set[str] = set()
    glue_next = False
    for i, word in enumerate(words):
        if word in _TOGGLE_QUOTES:
            opening = word not in open_quotes
            (open_quotes.add if opening else open_quotes.discard)(word)
            _append(out, word, tight=glue_next or not opening)
            glue_next = opening
            continue
        _append(out, word, tight=glue_next or _hugs_left(word, words, i))
        glue_next = word in _NO_SPACE_AFTER or word.endswith("$") or _hugs_right(word, words, i)
    return "".join(out)


def _append(out: list[str], word: str, *, tight: bool) -> None:
    out.append(word if tight or not out else " " + word)


def _hugs_left(word: str, words: Sequence[str], i: int) -> bool:
    if word == "-" and _hugs_right(word, words, i):
        return True
    if word in _NO_SPACE_BEFORE or word == "/" or (word.startswith("-") and len(word) > 1):
        return True
    return i >= 2 and words[i - 1] == "-" and _joined_by_hyphen(words[i - 2], word)


def _hugs_right(word: str, words: Sequence[str], i: int) -> bool:
    if word == "/":
        return True
    return word == "-" and 0 < i < len(words) - 1 and _joined_by_hyphen(words[i - 1], words[i + 1])


def _joined_by_hyphen(left: str, right: str) -> bool:
    """bentrokan-bentrokan, 3-0: reduplication and scores were one word before tokenizing."""
    return left.lower() == right.lower() or (left.isdigit() and right.isdigit())


def rebuild_title(url: str, id_slug: str, paragraphs: Sequence[str]) -> str:
    """A headline from the article's URL slug (else its id slug), cased like the text."""
    words = _url_slug_words(url) or _id_slug_words(id_slug)
    if not words:
        raise ImportError_("no slug in the URL or the id to make a title of", path=url)
    return _case_title(_merge_joined(words, paragraphs), paragraphs)


def _url_slug_words(url: str) -> list[str]:
    for segment in reversed([s for s in urlsplit(url).path.split("/") if s]):
        segment = re.sub(r"\.(?:html?|php)$", "", segment)
        segment = re.sub(r"^\d+-(?=[a-z])", "", segment, flags=re.IGNORECASE)
        words = [w for w in re.split(r"[-.]+", segment.lower()) if w]
        alphabetic = sum(1 for w in words if w.isalpha())
        if len(words) >= 3 and alphabetic >= len(words) / 2:
            return words
    return []


def _id_slug_words(slug: str) -> list[str]:
    words = [w for w in slug.split("-") if w]
    if len(slug) >= _ID_SLUG_CUT and len(words) > 1:
        words = words[:-1]  # the last word was probably cut
    return words


def _merge_joined(words: list[str], paragraphs: Sequence[str]) -> list[str]:
    """Rejoin slug words the text writes as one (mata-mata, U-22, 3-0, Amazon.com)."""
    text = " ".join(paragraphs).lower()
    merged: list[str] = []
    for word in words:
        joined = next(
            (f"{merged[-1]}{j}{word}" for j in "-." if merged and f"{merged[-1]}{j}{word}" in text),
            None,
        )
        if joined:
            merged[-1] = joined
        else:
            merged.append(word)
    return merged


def _case_title(words: list[str], paragraphs: Sequence[str]) -> str:
    forms = _acronym_forms(paragraphs)
    cased = []
    for i, word in enumerate(words):
        if word in forms:
            cased.append(forms[word])  # KPK, FP1, iPhone: keep the text's own spelling
        elif i > 0 and word in _SMALL_WORDS:
            cased.append(word)
        else:
            cased.append("-".join(p[:1].upper() + p[1:] for p in word.split("-")))
    return " ".join(cased)


def _acronym_forms(paragraphs: Sequence[str]) -> dict[str, str]:
    """Words the text always writes with inner capitals (KPK, iPhone), by their lower case."""
    forms: dict[str, Counter[str]] = {}
    plain: set[str] = set()
    for token in re.findall(r"[\w.-]*\w", " ".join(paragraphs)):
        key = token.lower()
        if token == key or token == token[:1].upper() + token[1:].lower():
            plain.add(key)  # written in lower case or capitalised: an ordinary word
        else:
            forms.setdefault(key, Counter())[token] += 1
    return {k: c.most_common(1)[0][0] for k, c in forms.items() if k not in plain}
