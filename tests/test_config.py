from pathlib import Path

import pytest

from archivegen.config import SiteConfig, load_config
from archivegen.errors import ConfigError, ErrorGroup


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_an_indonesian_archive(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "title: Arsip\n"))
    assert config.language == "id"
    assert config.timezone == "Asia/Jakarta"
    assert config.permalinks.article == "/{yyyy}/{mm}/{dd}/{slug}/"
    assert config.root == tmp_path.resolve()
    assert config.output_path == tmp_path.resolve() / "public"


def test_unknown_key_names_line_and_suggests(tmp_path: Path) -> None:
    path = write(tmp_path, "title: Arsip\n\nbase_ulr: https://x.example/\n")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert info.value.line == 3
    assert info.value.field == "base_ulr"
    assert "did you mean `base_url`" in str(info.value)


def test_nested_unknown_key_and_wrong_type_reported_together(tmp_path: Path) -> None:
    path = write(tmp_path, "page_size: dua puluh\npermalinks:\n  artikel: /x/{slug}/\n")
    with pytest.raises(ErrorGroup) as info:
        load_config(path)
    messages = [str(e) for e in info.value.errors]
    assert any("site.yaml:1: page_size: must be a whole number, not text" in m for m in messages)
    assert any(
        ":3: permalinks.artikel: unknown key (did you mean `article`?)" in m for m in messages
    )


def test_semantic_checks(tmp_path: Path) -> None:
    path = write(tmp_path, "timezone: Mars/Olympus\nbase_url: arsip.example\n")
    with pytest.raises(ErrorGroup) as info:
        load_config(path)
    fields = {e.field for e in info.value.errors}
    assert fields == {"timezone", "base_url"}


def test_permalink_must_keep_slug(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"must contain \{slug\}"):
        load_config(write(tmp_path, "permalinks:\n  article: /{yyyy}/\n"))


def test_missing_file_and_non_mapping(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="must be a mapping"):
        load_config(write(tmp_path, "- a\n- b\n"))


def test_overrides_win(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "output_dir: out\n"), {"output_dir": "elsewhere"})
    assert isinstance(config, SiteConfig)
    assert config.output_path.name == "elsewhere"
