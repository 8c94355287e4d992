import pytest

from archivegen.content.frontmatter import (
    dump_front_matter,
    field_lines,
    parse_front_matter,
    split_front_matter,
)
from archivegen.errors import ContentError


def test_round_trip_of_a_title_full_of_yaml_syntax() -> None:
    title = 'Kata "Kunci": #1 --- tes'
    text = dump_front_matter({"title": title, "date": "2022-10-04T18:23:00+07:00"}, "Isi.")
    parts = split_front_matter(text, "x.md")
    meta = parse_front_matter(parts.yaml_text, "x.md")
    assert meta["title"] == title
    assert meta["date"] == "2022-10-04T18:23:00+07:00"  # kept as text for the one date parser
    assert parts.body.strip() == "Isi."
    assert "date: 2022-10-04T18:23:00+07:00\n" in text  # written unquoted, as people write it


def test_known_fields_first_then_unknown_in_order() -> None:
    text = dump_front_matter({"zz": 1, "category": "Dunia", "title": "T"}, "b")
    keys = [line.split(":")[0] for line in text.splitlines()[1:4]]
    assert keys == ["title", "category", "zz"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("title: x\n", "must start with a --- line"),
        ("---\ntitle: x\n", "not closed"),
    ],
)
def test_split_errors(text: str, message: str) -> None:
    with pytest.raises(ContentError, match=message):
        split_front_matter(text, "x.md")


def test_body_line_counts_the_fence() -> None:
    parts = split_front_matter("---\na: 1\nb: 2\n---\nbody\n", "x.md")
    assert parts.body_line == 5
    assert parts.body == "body\n"


def test_a_list_is_not_front_matter() -> None:
    with pytest.raises(ContentError, match="is a list") as info:
        parse_front_matter("- a\n- b\n", "x.md")
    assert info.value.line == 2


def test_yaml_error_names_the_file_line() -> None:
    with pytest.raises(ContentError) as info:
        parse_front_matter("title: ok\ndate: [unclosed\n", "x.md")
    assert info.value.line is not None and info.value.line >= 3


def test_field_lines() -> None:
    assert field_lines("title: a\n\ndate: b\n") == {"title": 2, "date": 4}
