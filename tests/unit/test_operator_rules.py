from datetime import date

import pytest

from supervision.operators.rules import (
    derive_operator_status,
    hotline_problem,
    licence_dates_problem,
    make_uscc,
    org_code_check_char,
    parse_quarter,
    previous_quarter,
    quarter_of,
    same_quarter_last_year,
    uscc_check_char,
    uscc_problem,
)

CONTRACT_USCC = "91320100MA1MXY2K8M"  # the contract's known-valid code


# --- unified social credit code ---------------------------------------------------------------


@pytest.mark.parametrize(
    "code",
    [
        CONTRACT_USCC,
        "91110000100017643K",  # old all-digit organisation code
        "914403001922038216",  # check character is a digit
        "12440600MB2C07549J",  # public institution (registry 1)
        "92371000MA3MXH0E3W",  # individual business (registry 9, type 2)
    ],
)
def test_valid_codes_pass(code):
    assert uscc_problem(code) is None


def test_contract_bad_example_is_refused():
    assert uscc_problem("91320100MA1MXY2K80") == "check character should be 'M' (GB 32100-2015)"


def test_check_char_helpers_agree_with_known_code():
    assert uscc_check_char(CONTRACT_USCC[:17]) == "M"
    assert org_code_check_char("MA1MXY2K") == "8"


def test_org_code_check_maps_10_to_x_and_11_to_0():
    assert org_code_check_char("71093019") == "X"
    assert org_code_check_char("00000000") == "0"


def test_uscc_check_char_rejects_bad_input():
    with pytest.raises(ValueError):
        uscc_check_char("9132")
    with pytest.raises(ValueError):
        uscc_check_char("91320100MA1MXY2KI")


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "must be 18 characters (got 0)"),
        ("91320100MA1MXY2K8", "must be 18 characters (got 17)"),
        (CONTRACT_USCC + "0", "must be 18 characters (got 19)"),
        (" 91320100MA1MXY2K8", "contains a character not allowed: ' '"),
        ("91320100ma1mxy2k8m", "use capital letters"),
        ("91320100MA1MXI2K8M", "contains a character not allowed: 'I'"),
        ("91320100MA1MXO2K8M", "contains a character not allowed: 'O'"),
        ("91320100MA1MXZ2K8M", "contains a character not allowed: 'Z'"),
        ("91320100MA1MXS2K8M", "contains a character not allowed: 'S'"),
        ("91320100MA1MXV2K8M", "contains a character not allowed: 'V'"),
        ("91320100MA1MX-2K8M", "contains a character not allowed: '-'"),
        ("9132010AMA1MXY2K8M", "characters 3–8 must be digits (administrative division code)"),
        ("91320100MA1MXY2K8N", "check character should be 'M' (GB 32100-2015)"),
    ],
)
def test_bad_codes_say_what_is_wrong(code, message):
    assert uscc_problem(code) == message


def test_typo_in_body_fails_the_whole_code_check():
    assert uscc_problem("91320100MA1MXY3K8M") == "check character should be 'B' (GB 32100-2015)"


def test_inner_organisation_code_check_is_enforced():
    # Position 17 changed and position 18 recomputed: only GB 11714 can catch it.
    first17 = CONTRACT_USCC[:16] + "7"
    code = first17 + uscc_check_char(first17)
    assert uscc_problem(code) == "organisation code check character (17th) should be '8' (GB 11714-1997)"


@pytest.mark.parametrize(
    ("region", "seq"), [("110000", 0), ("110000", 1), ("440300", 42), ("650000", 31**6 - 1)]
)
def test_make_uscc_builds_valid_codes(region, seq):
    code = make_uscc(region, seq)
    assert len(code) == 18 and code[2:8] == region
    assert uscc_problem(code) is None


def test_make_uscc_is_deterministic_and_distinct():
    assert make_uscc() == make_uscc("110000", 1)
    assert len({make_uscc(seq=n) for n in range(500)}) == 500


@pytest.mark.parametrize(("region", "seq"), [("11000", 1), ("11000A", 1), ("110000", -1), ("110000", 31**6)])
def test_make_uscc_rejects_bad_seed(region, seq):
    with pytest.raises(ValueError):
        make_uscc(region, seq)


# --- licence dates and status -----------------------------------------------------------------


def test_licence_dates():
    assert licence_dates_problem(date(2025, 1, 1), date(2030, 12, 31)) is None
    message = "licence_valid_until must be after licence_valid_from"
    assert licence_dates_problem(date(2030, 12, 31), date(2025, 1, 1)) == message
    assert licence_dates_problem(date(2025, 1, 1), date(2025, 1, 1)) == message


FROM, UNTIL = date(2025, 1, 1), date(2030, 12, 31)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 12, 31), "not_yet_valid"),
        (FROM, "active"),
        (date(2026, 7, 1), "active"),
        (UNTIL, "active"),
        (date(2031, 1, 1), "expired"),
    ],
)
def test_status_follows_dates(today, expected):
    assert derive_operator_status(FROM, UNTIL, today, None) == expected


@pytest.mark.parametrize("sanction", ["suspended", "revoked"])
@pytest.mark.parametrize("today", [date(2024, 6, 1), date(2026, 6, 1), date(2032, 6, 1)])
def test_sanction_outranks_dates(sanction, today):
    assert derive_operator_status(FROM, UNTIL, today, sanction) == sanction


def test_unknown_sanction_is_a_bug():
    with pytest.raises(ValueError):
        derive_operator_status(FROM, UNTIL, date(2026, 1, 1), "expired")


# --- quarters -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "quarter"),
    [
        (date(2026, 1, 1), "2026Q1"),
        (date(2026, 3, 31), "2026Q1"),
        (date(2026, 4, 1), "2026Q2"),
        (date(2026, 9, 30), "2026Q3"),
        (date(2026, 10, 1), "2026Q4"),
        (date(2026, 12, 31), "2026Q4"),
    ],
)
def test_quarter_of(d, quarter):
    assert quarter_of(d) == quarter


def test_parse_quarter():
    assert parse_quarter("2026Q3") == (2026, 3)


@pytest.mark.parametrize(
    ("bad", "hint"),
    [
        ("2026Q5", "must be 1–4"),
        ("2026Q0", "must be 1–4"),
        ("2026q3", "must look like 2026Q3"),
        ("2026-Q3", "must look like 2026Q3"),
        ("26Q3", "must look like 2026Q3"),
        ("2026Q3 ", "must look like 2026Q3"),
        ("", "must look like 2026Q3"),
        ("0000Q1", "0001 or later"),
    ],
)
def test_parse_quarter_rejects_bad_input(bad, hint):
    with pytest.raises(ValueError, match=hint):
        parse_quarter(bad)


def test_previous_quarter_crosses_year_boundary():
    assert previous_quarter("2026Q1") == "2025Q4"
    assert previous_quarter("2026Q4") == "2026Q3"
    assert previous_quarter("2026Q2") == "2026Q1"


def test_same_quarter_last_year():
    assert same_quarter_last_year("2026Q3") == "2025Q3"
    assert same_quarter_last_year("2026Q1") == "2025Q1"


def test_quarter_helpers_reject_bad_input():
    with pytest.raises(ValueError):
        previous_quarter("2026Q5")
    with pytest.raises(ValueError):
        same_quarter_last_year("Q3")


# --- hotline -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number",
    [
        "10086",
        "10010",
        "10000",
        "12300",
        "95588",
        "400-123-4567",
        "4001234567",
        "800-820-8820",
        "010-12345678",
        "13800138000",
        "0755-8376-5566",
    ],
)
def test_good_hotlines(number):
    assert hotline_problem(number) is None


@pytest.mark.parametrize(
    "number",
    [
        "1",
        "",
        "1008",
        "1-0-0-8",
        "10086a",
        "ABCDE",
        "400 123 4567",
        "-10086",
        "10086-",
        "400--1234567",
        "+86-10086",
        "１００８６",
        "123456789012345678901",
    ],
)
def test_bad_hotlines(number):
    assert hotline_problem(number) == "hotline must be 5–20 digits, e.g. 10086 or 400-123-4567"


def test_hotline_length_limit_counts_hyphens():
    assert hotline_problem("1234567890-123456789") is None  # 20 characters
    assert hotline_problem("1234567890-1234567890") is not None  # 21 characters
