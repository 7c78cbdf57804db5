"""SPEC §1 / §9 jurisdiction, pinned at the rules themselves: who may register or edit an operator,
who may act for a province, and that a caller with no supervision scope reads no supervision
record. The pages and the API call these; a mistake here opens every door at once."""
import pytest
from sqlalchemy import select

from supervision.access.scoping import (
    can_manage_operator,
    load_in_scope,
    province_in_scope,
    scoped,
)
from supervision.audit import SYSTEM
from supervision.complaints.models import Complaint
from supervision.errors import NotFound
from supervision.extensions import db
from supervision.findings.models import Finding
from supervision.findings.services import raise_finding
from supervision.notifications.models import Notification


@pytest.fixture
def people(factory):
    operator = factory.operator(province="32")
    return {"anonymous": None, "admin": factory.admin(), "miit": factory.officer("CN"),
            "jiangsu": factory.officer("32"), "zhejiang": factory.officer("33"),
            "staff": factory.user("operator", operator=operator), "oversight": factory.user("oversight")}


@pytest.mark.parametrize(("who", "scope", "province", "allowed"), [
    ("anonymous", "provincial", "32", False),
    ("admin", "national", None, True),
    ("miit", "provincial", "44", True),
    ("jiangsu", "provincial", "32", True),     # a province registers its own provincial operators
    ("jiangsu", "provincial", "33", False),    # not another province's
    ("jiangsu", "national", None, False),      # nor a national one (MIIT's)
    ("jiangsu", "national", "32", False),
    ("staff", "provincial", "32", False),      # operator staff register nothing
    ("oversight", "provincial", "32", False),
])
def test_who_may_register_or_edit_an_operator(people, who, scope, province, allowed):
    assert can_manage_operator(people[who], scope, province) is allowed


@pytest.mark.parametrize(("who", "province", "allowed"), [
    ("anonymous", "32", False),
    ("admin", "65", True),
    ("miit", "44", True),
    ("miit", None, False),          # no province named: nothing to act for
    ("jiangsu", "32", True),
    ("jiangsu", "33", False),
    ("jiangsu", "", False),
    ("staff", "32", True),          # where the operator works
    ("staff", "33", False),
    ("oversight", "32", False),
])
def test_who_may_act_for_a_province(people, who, province, allowed):
    assert province_in_scope(people[who], province) is allowed


def test_callers_without_supervision_scope_read_no_supervision_record(factory, people):
    operator = factory.operator(province="32")
    finding, _ = raise_finding(operator, "32", "inspection", "M 23", "No hotline answer", SYSTEM, factory.now)
    seen = {who: [f.id for f in db.session.scalars(scoped(select(Finding), user))] for who, user in people.items()}
    assert seen == {"anonymous": [], "admin": [], "oversight": [], "zhejiang": [], "staff": [],
                    "miit": [finding.id], "jiangsu": [finding.id]}


def test_a_record_outside_scope_is_not_found_and_a_model_without_a_rule_is_a_programming_error(factory, people):
    complaint, _ = factory.complaint(factory.operator(province="32"))
    assert load_in_scope(Complaint, people["jiangsu"], id=complaint.id) == complaint
    with pytest.raises(NotFound) as missing:
        load_in_scope(Complaint, people["zhejiang"], id=complaint.id)
    assert missing.value.message == "Complaint not found"
    with pytest.raises(LookupError) as no_rule:
        scoped(select(Notification), people["jiangsu"])
    assert str(no_rule.value) == "no scope rule for Notification: add one in access/scoping.py"
