"""Aliases are hostile input: percent-encoded to a safe set, or refused with a reason."""

from __future__ import annotations

import pytest

from archivegen.content.aliases import MAX_ALIAS, clean_alias, is_query_alias


@pytest.mark.parametrize(
    "given, clean",
    [
        ("/read/2022/10/04/549506/judul", "/read/2022/10/04/549506/judul"),
        ("/berita.php?id=5&hal=2", "/berita.php?id=5&hal=2"),
        ("/judul dengan spasi/", "/judul%20dengan%20spasi/"),
        ("/kota/médan", "/kota/m%C3%A9dan"),
        ('/a"b$c\'d;e', "/a%22b%24c%27d%3Be"),
        ("/sudah%2fdikodekan", "/sudah%2Fdikodekan"),  # escapes kept, upper-cased
        ("/persen%zz", "/persen%25zz"),  # a lone % is encoded
        ("/q?x=<script>", "/q?x=%3Cscript%3E"),
    ],
)
def test_an_alias_is_percent_encoded_to_safe_characters(given: str, clean: str) -> None:
    assert clean_alias(given) == clean
    assert clean_alias(clean) == clean  # encoding twice changes nothing


@pytest.mark.parametrize(
    "given, reason",
    [
        ("lama/", "starting with /"),
        ("//evil.example/x", "not //host"),
        ("/a#b", "fragment"),
        ("/a\nb", "control character"),
        ("/a\rLocation: x", "control character"),
        ("/a/../b", "dot segments"),
        ("/a/./b", "dot segments"),
        ("/" + "x" * MAX_ALIAS, "longer than"),
    ],
)
def test_what_cannot_be_an_address_is_refused(given: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        clean_alias(given)


def test_only_a_query_alias_is_a_query() -> None:
    assert is_query_alias("/berita.php?id=5") and not is_query_alias("/read/1/judul/")
