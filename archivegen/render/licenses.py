"""Content licences: the address of a licence named the way people write it."""

from __future__ import annotations

import re

# Creative Commons licences, by their short names (`CC BY-SA 4.0`, `cc-by-4.0`, `CC0`)
_CC = "https://creativecommons.org/licenses/{kind}/{version}/"
_CC_KINDS = ("by", "by-sa", "by-nd", "by-nc", "by-nc-sa", "by-nc-nd")
# the version is required: `CC BY` alone could be any of four licences
_CC_NAME = re.compile(
    r"^cc[\s_-]*(?P<kind>by(?:[\s_-]*(?:nc|sa|nd))*)[\s_-]*(?P<version>[1-4]\.0)$"
)
CC0 = "https://creativecommons.org/publicdomain/zero/1.0/"


def license_url(name: str) -> str:
    """The address of a Creative Commons licence named `name` with its version, or ''."""
    key = name.strip().casefold()
    if re.fullmatch(r"cc[\s_-]*0(?:[\s_-]*1\.0)?|cc[\s_-]*zero", key):
        return CC0
    found = _CC_NAME.match(key)
    if found is None:
        return ""
    kind = re.sub(r"[\s_]+", "-", found["kind"]).replace("--", "-")
    if kind not in _CC_KINDS:
        return ""
    return _CC.format(kind=kind, version=found["version"])
