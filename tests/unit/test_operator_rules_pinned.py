"""SPEC §2 operator identity and quarters, pinned at their edges: which characters a credit code
may hold, what the demo-code maker and the quarter parser refuse, and their words."""
import pytest

from supervision.operators.rules import (
    derive_operator_status,
    make_uscc,
    parse_quarter,
    uscc_check_char,
    uscc_problem,
)


@pytest.mark.parametrize(("first17", "message"), [
    ("91110000MA01", "need 17 characters from 0123456789ABCDEFGHJKLMNPQRTUWXY, got '91110000MA01'"),
    ("91110000MA0000I01", "need 17 characters from 0123456789ABCDEFGHJKLMNPQRTUWXY, got '91110000MA0000I01'"),
])
def test_the_check_character_needs_seventeen_allowed_characters(first17, message):
    with pytest.raises(ValueError) as refused:
        uscc_check_char(first17)
    assert str(refused.value) == message


@pytest.mark.parametrize("letter", ["a", "z"])
def test_lower_case_at_either_end_of_the_alphabet_is_refused(letter):
    code = make_uscc()
    assert str(uscc_problem(letter + code[1:])) == "use capital letters"
    assert str(uscc_problem(code[:-1] + letter)) == "use capital letters"


def test_a_division_code_with_nines_is_digits():
    assert uscc_problem(make_uscc("999999")) is None
    assert uscc_problem(make_uscc("000000")) is None


@pytest.mark.parametrize(("region", "seq", "message"), [
    ("11000", 1, "region must be a 6-digit division code, got '11000'"),
    ("110000", 31**6, "seq must be 0 … 887503680, got 887503681"),
    ("110000", -1, "seq must be 0 … 887503680, got -1"),
])
def test_the_demo_code_maker_refuses_what_it_cannot_build(region, seq, message):
    with pytest.raises(ValueError) as refused:
        make_uscc(region, seq)
    assert str(refused.value) == message


def test_the_last_demo_code_is_valid():
    assert uscc_problem(make_uscc("110000", 31**6 - 1)) is None


def test_an_unknown_sanction_is_a_programming_error_naming_the_choices():
    from datetime import date
    with pytest.raises(ValueError) as refused:
        derive_operator_status(date(2026, 1, 1), date(2027, 1, 1), date(2026, 6, 1), "warned")
    assert str(refused.value) == "sanction must be one of ('suspended', 'revoked') or None, got 'warned'"


@pytest.mark.parametrize(("text", "message"), [
    (None, "quarter must look like 2026Q3, got None"),
    ("0000Q1", "quarter year must be 0001 or later, got '0000Q1'"),
])
def test_a_quarter_is_refused_with_what_is_expected(text, message):
    with pytest.raises(ValueError) as refused:
        parse_quarter(text)
    assert str(refused.value) == message


def test_the_first_quarter_of_year_one_is_a_quarter():
    assert parse_quarter("0001Q1") == (1, 1)
