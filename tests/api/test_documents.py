"""Official documents as PDF (SPEC §7): the rectification notice and the penalty decision carry
the authority, the number, the operator, the facts, the legal basis, the requirement or measure,
the deadline and how to seek review — checked with pdftotext."""
import shutil
import subprocess

import pytest

from tests.api.inspection_parties import Parties

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")


def text_of(pdf: bytes, tmp_path) -> str:
    """The document's text without whitespace (a line may wrap anywhere in Chinese text)."""
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return squeeze(text)


def squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture
def p(factory, client):
    return Parties(factory, client)


def test_the_rectification_notice_reads_as_an_administrative_document(p, tmp_path):
    order = p.order(finding_ids=[p.finding(facts="投诉电话无人接听")], deadline="2026-12-31")
    response = p.client.get(f"/api/v1/orders/{order['id']}/notice.pdf", headers=p.h(p.staff))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = text_of(response.data, tmp_path)
    for expected in ("江苏省通信管理局", "苏通整〔2026〕1号", "限期整改通知书", p.operator.name, "投诉电话无人接听",
                     "第十三条", "Staff the hotline", "2026年12月31日", "行政复议", "行政诉讼"):
        assert squeeze(expected) in text, expected


def test_the_penalty_decision_states_the_measure_basis_and_review(p, tmp_path):
    decision = p.post(p.publisher, "/penalties", {"operator_id": p.operator.id, "rule": "M21", "measure": "fine",
                                                  "amount_yuan": 8000, "facts": "一个月内投诉电话无人接听",
                                                  "finding_id": p.finding()}).get_json()
    assert p.client.get(f"/api/v1/penalties/{decision['id']}/decision.pdf", headers=p.h(p.lead)).status_code == 409
    p.post(p.second_publisher, f"/penalties/{decision['id']}/actions/approve")
    response = p.client.get(f"/api/v1/penalties/{decision['id']}/decision.pdf", headers=p.h(p.lead))
    text = text_of(response.data, tmp_path)
    for expected in ("行政处罚决定书", "苏通罚〔2026〕1号", p.operator.uscc, "一个月内投诉电话无人接听", "第二十一条",
                     "罚款人民币8,000元", "行政复议", "行政诉讼"):
        assert squeeze(expected) in text, expected


def test_the_documents_embed_a_cjk_font(p, tmp_path):
    order = p.order()
    pdf = p.client.get(f"/api/v1/orders/{order['id']}/notice.pdf", headers=p.h(p.lead)).data
    path = tmp_path / "notice.pdf"
    path.write_bytes(pdf)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    # Embedded ("yes" in the emb column), so the Chinese text shows on a machine without the font.
    assert any("Noto-Sans-CJK-SC" in line and " yes " in line for line in fonts.splitlines())
