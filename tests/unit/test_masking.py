"""How personal data look when shown masked (SPEC §9: operator staff see the complainant's
personal data masked, all but the phone they must call back on)."""
import pytest

from supervision.complaints.rules import mask_email, mask_name, mask_tail


@pytest.mark.parametrize(("name", "shown"), [
    ("王小明", "王**"),       # the surname only
    ("李", "李*"),            # a one-character name is still masked, never shown whole
    ("Smith", "S****"),
    ("", ""),
])
def test_a_name_keeps_only_its_first_character(name, shown):
    assert mask_name(name) == shown


@pytest.mark.parametrize(("value", "keep_start", "keep_end", "shown"), [
    ("江苏省南京市鼓楼区中山路1号", 3, 0, "江苏省***********"),   # an address: the province only
    ("320102199001011234", 3, 4, "320***********1234"),          # an ID number: region and last four
    ("1234567", 3, 4, "*******"),                               # no longer than what would be kept: all hidden
    ("abc", 3, 0, "***"),
    ("abcd", 3, 0, "abc*"),
    (None, 3, 0, None),
    ("", 3, 0, ""),
])
def test_a_tail_is_masked_and_a_short_value_entirely(value, keep_start, keep_end, shown):
    assert mask_tail(value, keep_start, keep_end) == shown


def test_the_default_tail_mask_keeps_three_characters():
    assert mask_tail("南京市鼓楼区") == "南京市***"


@pytest.mark.parametrize(("email", "shown"), [
    ("wang.xiaoming@example.cn", "w***@example.cn"),   # the domain stays: staff see which provider
    ("odd@name@example.cn", "o***@name@example.cn"),  # split at the first @
    ("not-an-address", "not***********"),             # no @: masked like any other text
    (None, None),
    ("", ""),
])
def test_an_email_keeps_its_first_letter_and_its_domain(email, shown):
    assert mask_email(email) == shown
