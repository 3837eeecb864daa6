"""The Spanish catalog is complete and what is served is what is written: every entry of
locale/es/LC_MESSAGES/django.po is translated and none is fuzzy, and the compiled
django.mo holds exactly the .po's translations (run `compilemessages` after editing)."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path
from typing import Any

from django.conf import settings

CATALOG = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES"
_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) (".*")$')


def entries(text: str) -> list[dict[str, Any]]:
    """The .po's entries: their flags and fields, strings unquoted and joined."""
    found: list[dict[str, Any]] = []
    for block in re.split(r"\n\s*\n", text.strip()):
        flags: set[str] = set()
        fields: dict[str, str] = {}
        current = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#~"):
                fields["obsolete"] = "yes"
            elif match := _KEYWORD.match(line):
                current = match.group(1)
                fields[current] = ast.literal_eval(match.group(2))
            elif line.startswith('"') and current:
                fields[current] += ast.literal_eval(line)
        if "msgid" in fields or "obsolete" in fields:
            found.append({"flags": flags, **fields})
    return found


def _translations(found: list[dict[str, Any]]) -> dict[object, str]:
    """What the .po translates, keyed as GNUTranslations keys its catalog."""
    catalog: dict[object, str] = {}
    for entry in found:
        if "obsolete" in entry or "fuzzy" in entry["flags"]:
            continue
        msgid = str(entry["msgid"])
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            for name, value in entry.items():
                if match := re.fullmatch(r"msgstr\[(\d+)\]", name):
                    catalog[(msgid, int(match.group(1)))] = str(value)
        else:
            catalog[msgid] = str(entry["msgstr"])
    return catalog


def _po() -> list[dict[str, Any]]:
    return entries((CATALOG / "django.po").read_text(encoding="utf-8"))


def test_every_spanish_entry_is_translated_and_none_is_fuzzy():
    found = _po()
    assert len(found) > 50, "the catalog holds the app's messages"
    fuzzy = [entry["msgid"] for entry in found if "fuzzy" in entry["flags"]]
    untranslated = [
        entry["msgid"]
        for entry in found
        if entry["msgid"]
        and "obsolete" not in entry
        and not all(value for name, value in entry.items() if name.startswith("msgstr"))
    ]
    obsolete = [entry for entry in found if "obsolete" in entry]
    assert fuzzy == [], "fuzzy entries are not served: check and translate them"
    assert untranslated == [], "run makemessages -l es and translate these"
    assert obsolete == [], "remove entries the code no longer has"


PLACEHOLDER = r"%\(\w+\)[sd]|\{\w+\}"


def test_placeholders_survive_translation():
    for entry in _po():
        if not entry.get("msgid"):
            continue
        names = set(re.findall(PLACEHOLDER, str(entry["msgid"])))
        # A plural's forms may each name the count or not ("One exercise" / "%(n)s
        # exercises"), so they name only what the two English forms name.
        plural = set(re.findall(PLACEHOLDER, str(entry.get("msgid_plural", ""))))
        for field, value in entry.items():
            if field.startswith("msgstr"):
                found = set(re.findall(PLACEHOLDER, str(value)))
                if "msgid_plural" in entry:
                    assert found <= names | plural, entry
                else:
                    assert found == names, entry


def test_the_compiled_catalog_holds_exactly_the_po_translations():
    with (CATALOG / "django.mo").open("rb") as compiled:
        served = gettext.GNUTranslations(compiled)
    catalog = dict(served._catalog)  # the parsed .mo
    catalog.pop("", None)  # the header
    expected = _translations(_po())
    expected.pop("", None)
    assert catalog == expected, "run manage.py compilemessages after editing the .po"
