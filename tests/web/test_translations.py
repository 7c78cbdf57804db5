"""The Chinese catalogue keeps up with the code: every message the code can show has a Chinese
translation, none drops a placeholder or an article citation, and the pages speak the visitor's
language. Most users (officers, operator staff, citizens) read only Chinese, so an English string
on a Chinese page is a bug, not a cosmetic issue."""
import os
import re
import tempfile
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask_babel import get_domain

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
LANGUAGES = ("zh_CN", "en")
# The same keywords as `pybabel extract -k _l -k lazy_gettext` (README / Makefile).
KEYWORDS = DEFAULT_KEYWORDS | {"_l": None, "lazy_gettext": None}
# %(name)s-style and positional %-formats, %% and str.format fields: a translation must keep them all.
PLACEHOLDER = re.compile(r"%%|%(?:\(\w+\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]|\{\w*\}")
CITATION = re.compile(r"\[[CM] \d+\]")  # [C 10], [M 16]: the article a rule comes from
EXTRACT = (".venv/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext --add-comments=TRANSLATORS: "
           "-o translations/messages.pot .")  # `.`: babel.cfg paths are relative to it; .venv is skipped
PASSWORD = "Correct-horse-1"
EN = {"Accept-Language": "en"}
ZH = {"Accept-Language": "zh-CN,zh;q=0.9"}


def po_path(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def load_catalogue(lang: str) -> Catalog:
    with po_path(lang).open("rb") as po:
        return read_po(po, locale=lang)


def fresh_extraction() -> Catalog:
    """What `pybabel extract -F babel.cfg` finds in the code now (babel.cfg paths are relative to ROOT)."""
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog()
    for filename, lineno, message, _comments, context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS):
        catalog.add(message, locations=[(filename, lineno)], context=context)
    return catalog


def messages(catalog: Catalog) -> list[Message]:
    return [m for m in catalog if m.id]  # the first entry (empty id) is the header


def is_translated(message: Message) -> bool:
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return not message.fuzzy and all(strings)


def translations_of(message: Message) -> list[str]:
    return list(message.string) if isinstance(message.string, tuple) else [message.string]


def source_texts(message: Message) -> list[str]:
    return list(message.id) if isinstance(message.id, tuple) else [message.id]


@pytest.fixture(scope="module")
def zh_catalogue() -> Catalog:
    return load_catalogue("zh_CN")


# --- the catalogue ---------------------------------------------------------------------------

def test_every_message_in_the_code_has_a_chinese_translation(zh_catalogue):
    translated = {(m.context, m.id) for m in messages(zh_catalogue) if is_translated(m)}
    missing = [m.id for m in messages(fresh_extraction()) if (m.context, m.id) not in translated]
    assert not missing, (
        f"{len(missing)} message(s) without a Chinese translation. Run `{EXTRACT}`, then "
        "`.venv/bin/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations` and "
        "translate them in "
        "translations/zh_CN/LC_MESSAGES/messages.po:\n"
        + "\n".join(repr(m) for m in missing))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_entry_is_fuzzy(lang):
    """`pybabel compile` leaves fuzzy entries out, so their pages would fall back to English."""
    fuzzy = [m.id for m in messages(load_catalogue(lang)) if m.fuzzy]
    assert not fuzzy, f"fuzzy entries in {lang} (check the translation, then drop the flag): {fuzzy}"


def test_no_translation_drops_or_changes_a_placeholder(zh_catalogue):
    broken = []
    for message in messages(zh_catalogue):
        # Chinese has one plural form: it stands for the singular and the plural English text.
        expected = {p for text in source_texts(message) for p in PLACEHOLDER.findall(text)}
        for translation in filter(None, translations_of(message)):
            if set(PLACEHOLDER.findall(translation)) != expected:
                broken.append((message.id, translation))
    assert not broken, "placeholders differ:\n" + "\n".join(f"{i!r} → {t!r}" for i, t in broken)


def test_no_translation_drops_an_article_citation(zh_catalogue):
    broken = [(m.id, t) for m in messages(zh_catalogue) for t in filter(None, translations_of(m))
              if set(CITATION.findall(" ".join(source_texts(m)))) != set(CITATION.findall(t))]
    assert not broken, "citations differ:\n" + "\n".join(f"{i!r} → {t!r}" for i, t in broken)


# --- the pages -------------------------------------------------------------------------------

def test_babel_finds_the_chinese_catalogue_under_its_canonical_name(compiled_catalogues):
    """Babel turns zh_CN into zh_Hans_CN and gettext looks for that folder (or `zh`), never for
    zh_CN: translations/zh_Hans_CN is a link to zh_CN (ckan/ckan#4413, flask-admin#403)."""
    locale = Locale.parse("zh_CN")
    assert str(locale) == "zh_Hans_CN"
    assert Translations.load(str(TRANSLATIONS), [locale]).gettext("Log in") == "登录"


@pytest.fixture(scope="session")
def compiled_catalogues(app):
    """`make setup` compiles the .mo files (they are git-ignored); a bare pytest run may lack them."""
    compiled = False
    for po in {path.resolve() for path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}:
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as source:
            catalog = read_po(source)
        # Written aside then renamed: a parallel run never reads half a file.
        fd, tmp = tempfile.mkstemp(dir=mo.parent, suffix=".mo.tmp")
        with os.fdopen(fd, "wb") as target:
            write_mo(target, catalog)
        os.replace(tmp, mo)
        compiled = True
    if compiled:  # Flask-Babel caches catalogues per app: forget those loaded before the .mo existed
        with app.app_context():
            get_domain().cache.clear()


def page_text(response) -> str:
    return response.get_data(as_text=True)


# (path, what a Chinese reader sees, the English of the same text)
PUBLIC_PAGES = [
    ("/", ["提交申诉", "申诉查询", "申诉办理流程"], ["File a complaint", "How a complaint is handled"]),
    ("/login", ["登录", "用户名", "密码"], ["Log in", "Username", "Password"]),
    ("/track", ["申诉编号", "查询码"], ["Complaint reference", "Access code"]),
    ("/complaints/new", ["提交前须知", "向经营者投诉的日期", "请选择经营者"],
     ["Before you start", "Date you complained to the operator", "Choose an operator"]),
    ("/operators", ["经营者名录", "共找到 0 家经营者。"], ["Operator directory", "0 operators found."]),
    ("/no-such-page", ["页面不存在"], ["Page not found"]),
]


@pytest.mark.parametrize(("path", "chinese", "english"), PUBLIC_PAGES)
def test_public_pages_speak_chinese_to_a_chinese_browser(client, compiled_catalogues, path, chinese, english):
    page = page_text(client.get(path, headers=ZH))
    assert [text for text in chinese if text not in page] == []
    assert [text for text in english if text in page] == []


@pytest.mark.parametrize(("path", "chinese", "english"), PUBLIC_PAGES)
def test_public_pages_speak_english_to_an_english_browser(client, compiled_catalogues, path, chinese, english):
    page = page_text(client.get(path, headers=EN))
    assert [text for text in english if text not in page] == []
    assert [text for text in chinese if text in page] == []


def test_complainant_tracking_page_in_chinese(client, factory, compiled_catalogues):
    """Status, clock names and states come from label dicts built at import time (lazy strings)."""
    complaint, code = factory.complaint(factory.operator())
    response = client.post("/track", data={"reference": complaint.reference, "access_code": code}, headers=ZH,
                           follow_redirects=True)
    page = page_text(response)
    assert response.status_code == 200
    assert f"申诉 {complaint.reference}" in page
    assert "已提交" in page and "受理决定" in page and "计时中" in page and "网络覆盖" in page
    assert "Submitted" not in page and "Decision on acceptance" not in page


def test_officer_queue_in_chinese(client, factory, compiled_catalogues):
    factory.complaint(factory.operator())
    officer = factory.officer("32")
    login = client.post("/login", data={"username": officer.username, "password": PASSWORD}, headers=ZH)
    assert login.status_code == 303
    page = page_text(client.get("/officer/complaints", headers=ZH))
    assert "申诉待办" in page and "共 1 件申诉，按时限由近及远排列" in page and "退出登录" in page
    assert "Complaints queue" not in page and "nearest deadline first" not in page
