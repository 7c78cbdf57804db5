"""Messages users read are marked here for translation and rendered lazily in the reader's
language (the page's locale, or the API caller's Accept-Language); outside a request they
are English. `_l` is Flask-Babel's lazy_gettext: placeholders use %(name)s."""
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

__all__ = ["_l", "joined"]


def joined(parts, separator: str = " ") -> LazyString:
    """Several messages as one, each translated when the whole is rendered."""
    parts = list(parts)
    return LazyString(lambda: separator.join(str(part) for part in parts))
