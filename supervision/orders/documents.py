"""Official documents as PDF (WeasyPrint, "Noto Sans CJK SC"): the rectification notice
(限期整改通知书) and the penalty decision (行政处罚决定书), laid out as Chinese administrative
documents — issuing authority, document number, addressee, facts, legal basis, requirement or
measure, deadline, and how to seek review (行政复议 / 行政诉讼).

Official documents are issued in Chinese whatever the reader's interface language.
"""
from datetime import date

from flask import render_template

from supervision.clock import local_date
from supervision.orders.models import PenaltyDecision, RectificationOrder

# How to seek review: 《行政复议法》第二十条 (60 days), 《行政诉讼法》第四十六条 (6 months).
REVIEW_DAYS, LAWSUIT_MONTHS = 60, 6
# 《行政处罚法》第六十七条: a fine is paid within 15 days of receiving the decision.
FINE_PAYMENT_DAYS = 15
MEASURES_ZH = {"warning": "警告", "fine": "罚款"}


def chinese_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _render(template: str, **context) -> bytes:
    # Imported on first use: WeasyPrint takes seconds to import and ~40 MB of memory, which every
    # web worker and CLI command would otherwise pay at start-up; most never make a PDF.
    from weasyprint import HTML

    html = render_template(template, chinese_date=chinese_date, review_days=REVIEW_DAYS,
                           lawsuit_months=LAWSUIT_MONTHS, **context)
    return HTML(string=html).write_pdf()


def order_notice_pdf(order: RectificationOrder) -> bytes:
    articles = sorted({f.article for f in order.findings})
    return _render("documents/order_notice.html", order=order, authority=order.authority,
                   issued_on=local_date(order.issued_at), articles=articles)


def penalty_decision_pdf(decision: PenaltyDecision) -> bytes:
    return _render("documents/penalty_decision.html", decision=decision, authority=decision.authority,
                   decided_on=local_date(decision.approved_at or decision.created_at),
                   measure_zh=MEASURES_ZH[decision.measure], payment_days=FINE_PAYMENT_DAYS)
