"""Operator registration rules (SPEC §2): pure functions, no app, no database.

Each `*_problem` function returns None when the value is acceptable, else a short English
message naming the rule, so the API and the forms can attach it to the field (STYLE §9).
"""

import re
from datetime import date

from supervision.i18n import _l

# GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》 §4: 18 characters from this
# alphabet (I, O, Z, S, V are left out so they cannot be misread as 1, 0, 2, 5, U).
# A character's value in the check computation is its index in this string.
USCC_LENGTH = 18
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 §5: weight of position i (0-based) is 3**i mod 31.
USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
# GB 32100-2015 §4: positions 3–8 are the GB/T 2260 administrative division of the registry.
USCC_DIVISION = slice(2, 8)
# Positions 9–17 are the GB 11714-1997 organisation code, whose own check is position 17.
USCC_ORG_CODE = slice(8, 17)

# GB 11714-1997 《全国组织机构代码编制规则》: weights over the 8-character body; digits
# count as themselves and letters as A=10 … Z=35; 11 − (sum mod 11), with 10 → X, 11 → 0.
ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# SPEC §2: a licence is either sanctioned (set by an officer) or follows its dates.
SANCTIONS = ("suspended", "revoked")

# Published complaint hotlines [M 16]: MIIT short codes (10086, 12300 …) up to full
# landline / 400 / 800 numbers; hyphens are allowed only between groups of digits.
HOTLINE_PATTERN = re.compile(r"[0-9]+(-[0-9]+)*")  # ASCII only: no full-width digits
HOTLINE_MIN_DIGITS = 5
HOTLINE_MAX_CHARS = 20
HOTLINE_MESSAGE = _l("hotline must be 5–20 digits, e.g. 10086 or 400-123-4567")

QUARTER_PATTERN = re.compile(r"([0-9]{4})Q([0-9])")


# --- unified social credit code (统一社会信用代码) ---------------------------------------


def uscc_check_char(first17: str) -> str:
    """The GB 32100-2015 check character (position 18) for the first 17 characters."""
    if len(first17) != 17 or any(c not in USCC_ALPHABET for c in first17):
        raise ValueError(f"need 17 characters from {USCC_ALPHABET}, got {first17!r}")
    # Equivalent mutants here: the 17 characters are checked above and the alphabet has no repeats.
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))  # pragma: no mutate
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """The GB 11714-1997 check character for an 8-character organisation-code body."""
    # int(c, 36) gives digits their value and letters A=10 … Z=35, exactly GB 11714's table.
    # (strict=True is a guard only: every caller passes 8 characters.)
    total = sum(int(c, 36) * w for c, w in zip(body8, ORG_CODE_WEIGHTS, strict=True))  # pragma: no mutate
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def uscc_problem(code: str) -> str | None:
    """Why `code` is not a valid unified social credit code, or None if it is."""
    if len(code) != USCC_LENGTH:
        return _l("must be %(length)d characters (got %(got)d)", length=USCC_LENGTH, got=len(code))
    # Not upper-cased silently: the code is printed on the licence in capitals, and a stored
    # value must compare equal to what officers and the public search for.
    if any("a" <= c <= "z" for c in code):
        return _l("use capital letters")
    bad = next((c for c in code if c not in USCC_ALPHABET), None)
    if bad is not None:
        return _l("contains a character not allowed: %(char)s", char=repr(bad))
    if not all("0" <= c <= "9" for c in code[USCC_DIVISION]):
        return _l("characters 3–8 must be digits (administrative division code)")
    # The whole-code check first: it covers every position, so it catches most typos.
    expected = uscc_check_char(code[:17])
    if code[17] != expected:
        return _l("check character should be %(char)s (GB 32100-2015)", char=repr(expected))
    org_code = code[USCC_ORG_CODE]
    expected = org_code_check_char(org_code[:8])
    if org_code[8] != expected:
        return _l("organisation code check character (17th) should be %(char)s (GB 11714-1997)",
                  char=repr(expected))
    return None


def make_uscc(region: str = "110000", seq: int = 1) -> str:
    """A valid code (both check characters right) built deterministically from `seq`.

    For demo data and tests only: 9 (market regulator) + 1 (enterprise) + region + an
    "MA"-style organisation code whose 6 free characters are `seq` written in base 31.
    """
    if len(region) != 6 or not (region.isascii() and region.isdigit()):
        raise ValueError(f"region must be a 6-digit division code, got {region!r}")
    if not 0 <= seq < 31**6:
        raise ValueError(f"seq must be 0 … {31**6 - 1}, got {seq}")
    digits = []
    for _ in range(6):
        seq, rest = divmod(seq, 31)
        digits.append(USCC_ALPHABET[rest])
    body = "MA" + "".join(reversed(digits))
    first17 = "91" + region + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


# --- licence -------------------------------------------------------------------------------


def licence_dates_problem(valid_from: date, valid_until: date) -> str | None:
    # Equal dates are refused too: a licence valid for no span at all is a data-entry slip.
    if valid_until <= valid_from:
        return _l("licence_valid_until must be after licence_valid_from")
    return None


def derive_operator_status(valid_from: date, valid_until: date, today: date, sanction: str | None) -> str:
    """Operator status for `today` (SPEC §2: derived daily from the dates).

    An officer's sanction outranks the dates: a revoked licence stays revoked even while
    its printed dates are still running. `valid_until` itself is still a valid day.
    """
    if sanction is not None:
        if sanction not in SANCTIONS:
            raise ValueError(f"sanction must be one of {SANCTIONS} or None, got {sanction!r}")
        return sanction
    if today > valid_until:
        return "expired"
    if today < valid_from:
        return "not_yet_valid"
    return "active"


# --- quarters (subscriber counts and statistics are per quarter, SPEC §2 / §8) -------------


def quarter_of(d: date) -> str:
    return f"{d.year:04d}Q{(d.month - 1) // 3 + 1}"


def parse_quarter(s: str) -> tuple[int, int]:
    """'2026Q3' → (2026, 3); anything else raises ValueError saying what is expected."""
    match = QUARTER_PATTERN.fullmatch(s) if isinstance(s, str) else None
    if match is None:
        raise ValueError(f"quarter must look like 2026Q3, got {s!r}")
    year, q = int(match[1]), int(match[2])
    if not 1 <= q <= 4:
        raise ValueError(f"quarter number must be 1–4, got {s!r}")
    if year < 1:
        raise ValueError(f"quarter year must be 0001 or later, got {s!r}")
    return year, q


def previous_quarter(s: str) -> str:
    year, q = parse_quarter(s)
    return f"{year:04d}Q{q - 1}" if q > 1 else f"{year - 1:04d}Q4"


def same_quarter_last_year(s: str) -> str:
    year, q = parse_quarter(s)
    return f"{year - 1:04d}Q{q}"


# --- hotline ---------------------------------------------------------------------------------


def hotline_problem(number: str) -> str | None:
    # A lone "1" or letters would publish a number nobody can call, so the shape is checked
    # here; whether it is really the operator's line is for the officer to confirm.
    if len(number) > HOTLINE_MAX_CHARS or not HOTLINE_PATTERN.fullmatch(number):
        return HOTLINE_MESSAGE
    if sum(c != "-" for c in number) < HOTLINE_MIN_DIGITS:
        return HOTLINE_MESSAGE
    return None
