"""Document numbers (文号): one sequence per authority, kind and year that never repeats,
even when two officers issue at the same moment, e.g. 粤通整〔2026〕3号.

The counter row is incremented with `UPDATE … RETURNING` (the row lock makes a second
writer wait for the first to commit, then read its value); the first document of a year
inserts the row, and a racing first insert falls back to the update.
"""
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from supervision.access.models import NATIONAL
from supervision.extensions import db
from supervision.orders.models import DocumentCounter

# 简称 of each provincial administration (GB/T 2260 codes): the first character of a 文号.
PROVINCE_ABBREVIATIONS = {
    "11": "京", "12": "津", "13": "冀", "14": "晋", "15": "内蒙", "21": "辽", "22": "吉", "23": "黑",
    "31": "沪", "32": "苏", "33": "浙", "34": "皖", "35": "闽", "36": "赣", "37": "鲁", "41": "豫",
    "42": "鄂", "43": "湘", "44": "粤", "45": "桂", "46": "琼", "50": "渝", "51": "川", "52": "贵",
    "53": "云", "54": "藏", "61": "陕", "62": "甘", "63": "青", "64": "宁", "65": "新",
}
# The kind of document: 整 rectification notice, 罚 penalty decision.
KIND_CHARACTERS = {"order": "整", "penalty": "罚"}


def issuer_prefix(authority_code: str) -> str:
    if authority_code == NATIONAL:
        return "工信部通"
    return PROVINCE_ABBREVIATIONS.get(authority_code, authority_code) + "通"


def format_number(authority_code: str, kind: str, year: int, value: int) -> str:
    return f"{issuer_prefix(authority_code)}{KIND_CHARACTERS[kind]}〔{year}〕{value}号"


def next_value(authority_code: str, kind: str, year: int) -> int:
    bump = (update(DocumentCounter)
            .where(DocumentCounter.authority_code == authority_code, DocumentCounter.kind == kind,
                   DocumentCounter.year == year)
            .values(last_value=DocumentCounter.last_value + 1)
            .returning(DocumentCounter.last_value))
    options = {"synchronize_session": False}
    value = db.session.execute(bump, execution_options=options).scalar()
    if value is not None:
        return value
    try:
        with db.session.begin_nested():
            db.session.add(DocumentCounter(authority_code=authority_code, kind=kind, year=year, last_value=1))
        return 1
    except IntegrityError:
        # Another transaction created this year's counter first: take the next value after its.
        return db.session.execute(bump, execution_options=options).scalar_one()


def next_number(authority_code: str, kind: str, year: int) -> str:
    return format_number(authority_code, kind, year, next_value(authority_code, kind, year))
