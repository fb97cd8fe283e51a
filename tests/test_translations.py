"""Every string marked for translation has its Spanish and German translation, and templates
hold no English that is not marked."""

import io
import json
import re
from functools import cache
from pathlib import Path

import pytest
from babel.messages.extract import extract_javascript, extract_python
from babel.messages.pofile import read_po
from django.template.base import Lexer, TokenType
from django.utils.translation.template import templatize

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("es", "de")
SOURCE_DIRS = ("accounts", "activity", "benchmarking", "clusters", "exchange", "api", "ecei_site", "opendata")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def _is_source(path: Path) -> bool:
    return "tests" not in path.parts and "migrations" not in path.parts


def python_files():
    for directory in SOURCE_DIRS:
        yield from (p for p in sorted((ROOT / directory).rglob("*.py")) if _is_source(p))


def template_files():
    yield from sorted((ROOT / "templates").rglob("*.html"))
    yield from sorted((ROOT / "templates").rglob("*.txt"))


def _messages(extracted):
    for _lineno, funcname, message, _comments in extracted:
        if isinstance(message, tuple):
            message = message[1] if funcname.startswith("pgettext") else message[0]
        if message:
            yield message


@cache
def marked_strings() -> dict[str, str]:
    """msgid -> where it is marked, from the Python code and the templates (domain "django")."""
    found = {}
    for path in python_files():
        with path.open("rb") as file:
            for message in _messages(extract_python(file, KEYWORDS, [], {})):
                found.setdefault(message, str(path.relative_to(ROOT)))
    for path in template_files():
        # templatize() writes the template as Python-like gettext calls (as makemessages does);
        # its indentation follows the HTML, which the tokenizer must not see.
        code = "\n".join(line.lstrip() for line in templatize(path.read_text(), origin=str(path)).splitlines())
        for message in _messages(extract_python(io.BytesIO(code.encode()), KEYWORDS, [], {})):
            found.setdefault(message, str(path.relative_to(ROOT)))
    return found


@cache
def javascript_strings() -> dict[str, str]:
    """msgid -> where it is marked in static/js (domain "djangojs", served at /jsi18n/)."""
    found = {}
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        with path.open("rb") as file:
            for message in _messages(extract_javascript(file, KEYWORDS, [], {})):
                found.setdefault(message, str(path.relative_to(ROOT)))
    return found


@cache
def catalogue(language: str, domains: tuple[str, ...] = ("django", "djangojs")) -> dict[str, object]:
    translations = {}
    for domain in domains:
        path = ROOT / "locale" / language / "LC_MESSAGES" / f"{domain}.po"
        if not path.exists():
            continue
        with path.open("rb") as file:
            for message in read_po(file, locale=language):
                if message.id and "fuzzy" not in message.flags:
                    key = message.id[0] if isinstance(message.id, tuple) else message.id
                    translations[key] = message.string
    return translations


def test_strings_are_found():
    assert "Benchmarked clusters" in marked_strings()  # base.html
    assert "(not answered)" in marked_strings()  # Python
    assert "No cluster matches." in javascript_strings()  # interview.js


def _untranslated(marked: dict[str, str], translations: dict[str, object]) -> dict[str, str]:
    return {
        msgid: where
        for msgid, where in marked.items()
        if not all(translations.get(msgid) or [""])
        if not (isinstance(translations.get(msgid), tuple) and all(translations[msgid]))
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_string_is_translated(language):
    missing = _untranslated(marked_strings(), catalogue(language, ("django",)))
    assert missing == {}, f"{len(missing)} strings lack a translation in {language}: run makemessages and translate"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_javascript_string_is_in_the_javascript_catalogue(language):
    """JavaScript reads only the djangojs catalogue (/jsi18n/): a translation in django.po is not enough."""
    missing = _untranslated(javascript_strings(), catalogue(language, ("djangojs",)))
    assert missing == {}, f"{len(missing)} strings lack a translation in locale/{language}/LC_MESSAGES/djangojs.po"


@pytest.mark.parametrize(("language", "expected"), [("de", "Kein Cluster passt."), ("es", "Ningún clúster coincide.")])
def test_the_javascript_catalogue_is_served_from_the_site(client, language, expected):
    """A script of the site's own (no CDN, no inline script under the Content-Security-Policy)."""
    response = client.get("/jsi18n/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert json.dumps(expected) in response.content.decode()  # the catalogue is JSON in the script


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders(language):
    wrong = {}
    for msgid, translated in catalogue(language).items():
        for text in translated if isinstance(translated, tuple) else (translated,):
            if text and sorted(set(PLACEHOLDER.findall(msgid))) != sorted(set(PLACEHOLDER.findall(text))):
                wrong[msgid] = text
    assert wrong == {}


# --- Templates hold no unmarked text ----------------------------------------------------------

# Templates whose text is not marked yet; they show in English in every language. Shrinks to
# nothing: a template leaves this list when it is marked, and a new template never joins it.
NOT_YET_MARKED: set[str] = set()
# Words that are the same in every language: names and abbreviations.
UNTRANSLATED_WORDS = {"ECEI", "ESCA", "PDF", "CSV", "JSON", "XLSX", "API", "n", "v", "QR", "OpenAPI", "Swagger"}
ATTRIBUTES = re.compile(r'\b(?:title|alt|placeholder|aria-label|aria-description)="([^"]*)"')
TAGS = re.compile(r"<[^>]*>")
ENTITIES = re.compile(r"&[a-z]+;|&#\d+;")
WORD = re.compile(r"[^\W\d_]{2,}")


def unmarked_text(source: str) -> list[str]:
    """Words in a template's text (and readable attributes) outside translation tags."""
    pieces = []
    in_translation = in_comment = False
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in {"blocktranslate", "blocktrans"}:
                in_translation = True
            elif name in {"endblocktranslate", "endblocktrans"}:
                in_translation = False
            elif name == "comment":
                in_comment = True
            elif name == "endcomment":
                in_comment = False
            pieces.append(" \x00 ")  # a tag's output: translated, a value, or nothing
        elif token.token_type == TokenType.VAR:
            pieces.append("\x00")
        elif token.token_type == TokenType.TEXT and not in_translation and not in_comment:
            pieces.append(token.contents)
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", "".join(pieces), flags=re.S)
    words = [w for value in ATTRIBUTES.findall(text) for w in WORD.findall(value)]
    words += WORD.findall(ENTITIES.sub(" ", TAGS.sub(" ", text)))
    return [w for w in words if w not in UNTRANSLATED_WORDS]


def test_the_scanner_finds_unmarked_text():
    assert unmarked_text("<p>Hello {{ name }}</p>") == ["Hello"]
    assert unmarked_text('<a title="Open it">{% translate "Open" %}</a>') == ["Open", "it"]
    assert unmarked_text("{% blocktranslate %}Hello {{ name }}{% endblocktranslate %} {# note #}") == []


def _marked_templates():
    """Every template but those still listed in NOT_YET_MARKED (checked by the next test)."""
    for path in template_files():
        if str(path.relative_to(ROOT / "templates")) not in NOT_YET_MARKED:
            yield path


@pytest.mark.parametrize("path", list(_marked_templates()), ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_templates_hold_no_unmarked_text(path):
    assert unmarked_text(path.read_text()) == []


def test_the_list_of_unmarked_templates_only_shrinks():
    existing = {str(p.relative_to(ROOT / "templates")) for p in template_files()}
    marked = {
        name
        for name in NOT_YET_MARKED
        if name in existing and not unmarked_text((ROOT / "templates" / name).read_text())
    }
    assert NOT_YET_MARKED <= existing, "a template in NOT_YET_MARKED no longer exists"
    assert marked == set(), "these templates are marked now: remove them from NOT_YET_MARKED"
