"""Texts of frozen figures: every message is stored in both languages at freeze time, so a
published version reads the same tomorrow whatever the translation catalogues become."""
from flask_babel import force_locale
from flask_babel.speaklater import LazyString

LANGUAGES = ("zh_CN", "en")
OFFICIAL = "zh_CN"  # the language of the PDF, the regulator's official text


def bilingual(message) -> dict[str, str]:
    values = {}
    for lang in LANGUAGES:
        with force_locale(lang):
            values[lang] = str(message)
    return values


def freeze(value):
    """Lazy messages → {"zh_CN": …, "en": …}; containers recursively; plain values unchanged."""
    if isinstance(value, LazyString):
        return bilingual(value)
    if isinstance(value, dict):
        return {key: freeze(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [freeze(item) for item in value]
    return value


def localized(text, lang: str) -> str:
    """One language of a frozen text (a plain string is the same in every language)."""
    if isinstance(text, dict):
        return text.get(lang) or text.get(OFFICIAL) or next(iter(text.values()), "")
    return "" if text is None else str(text)
