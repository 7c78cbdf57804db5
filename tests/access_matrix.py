"""The access matrix: who gets what from every operation (SPEC §1, §9, §10). Read it against the SPEC.

One row per request: `METHOD path | 10 expectations [| body]`, the columns in this order:

  anon   anonymous: no token, no session
  compl  the complainant: no account, but the complaint's reference and access code (added to the
         request wherever the path names the complaint; on the tracking pages, in their forms)
  own    staff of the operator the records are about        other  staff of another operator
  in     a Jiangsu (32) officer: the records' province      out    a Guangdong (44) officer
  miit   an officer of the national authority (CN)         pub    a Jiangsu officer with the publisher flag
  over   the oversight role                                 admin  the system administrator

The records (tests/access_matrix_world.py) all concern the "own" Jiangsu operator: a transferred
complaint with an attachment, a finding, an order, a draft and an approved penalty, a campaign,
an inspection at its draft result (and a published one), a draft self-inspection report, a
billing sample, a filed format clause, a draft and a published publication. `{name}` in a path
or body is filled from them. API requests carry the role's bearer token, pages its session
cookie (CSRF is off in the test configuration, as in every page test).

Expectations:
  ok     the caller gets through to the domain: 2xx or 3xx, or 409/422 (the record's state or the
         body, not the caller, stopped it; bodies are minimal: `{}` unless the row gives one, and
         a row gives one where the body is parsed before the caller is checked)
  login  a page that sends the anonymous visitor to log in (302 to /login)
  401    no (valid) token where one is required
  403    a role that may not do this (SPEC §10: "a role that may not do it → 403")
  404    outside the caller's scope, or a record not shown to them (SPEC §1: "404, not 403")

A body `form {...}` is sent as a form (multipart with "@pdf" / "@csv" standing for a file).
"""
from dataclasses import dataclass

EXPECTATIONS = {"ok", "login", "401", "403", "404"}
COLUMNS = 10


@dataclass(frozen=True)
class Row:
    method: str
    path: str
    expected: tuple[str, ...]
    body: str = ""


def parse_rows(text: str) -> list[Row]:
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        request, _, rest = line.partition("|")
        cells, _, body = rest.partition("|")
        method, path = request.split()
        expected = tuple(cells.split())
        if len(expected) != COLUMNS:
            raise ValueError(f"line {number}: {method} {path} needs {COLUMNS} cells, has {len(expected)}")
        if unknown := set(expected) - EXPECTATIONS:
            raise ValueError(f"line {number}: unknown expectation {sorted(unknown)}")
        body = body.strip()
        rows.append(Row(method, path, expected, body))
    return rows


TABLE = """
# METHOD path                                                               | anon  compl own   other in    out   miit  pub   over  admin | body
# --- public site: the same for everyone (signing in never shows less than the public sees) ---
GET    /                                                                    | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
# --- administration: the calendar is the administrator's (SPEC §1) ---
GET    /admin/calendar                                                      | login login 403   403   403   403   403   403   403   ok
POST   /admin/calendar                                                      | login login 403   403   403   403   403   403   403   ok
POST   /admin/calendar/{day}/delete                                         | login login 403   403   403   403   403   403   403   ok
# --- API: tokens; DELETE revokes the caller's own token ---
DELETE /api/v1/auth/token                                                   | 401   401   ok    ok    ok    ok    ok    ok    ok    ok
POST   /api/v1/auth/token                                                   | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
# --- obligations [M 17, M 18]: officers of the authority (CN all) and the operator's own staff see them;
# the admin and oversight have no supervision duties (SPEC §1): outside their scope (404) ---
GET    /api/v1/billing-samples/{sample_id}                                  | 401   401   ok    404   ok    404   ok    ok    404   404
POST   /api/v1/billing-samples/{sample_id}/items/{sample_item_id}           | 401   401   ok    404   403   404   403   403   404   404 | form {"produced": "true", "file": "@pdf"}
# --- calendar: working days are public, overrides the administrator's ---
GET    /api/v1/calendar/overrides                                           | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
DELETE /api/v1/calendar/overrides/{day}                                     | 401   401   403   403   403   403   403   403   403   ok
PUT    /api/v1/calendar/overrides/{day}                                     | 401   401   403   403   403   403   403   403   403   ok | {"is_working_day": true, "note": "State Council notice"}
GET    /api/v1/calendar/working-days?start=2026-11-26&days=5                | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
# --- campaigns: the authority's officers run them; the record of a draw is public (anyone re-runs it) ---
POST   /api/v1/campaigns                                                    | 401   401   403   403   ok    ok    ok    ok    403   403 | {"period": "2026Q4", "type": "onsite", "operators_to_draw": 1, "inspectors_per_inspection": 2}
GET    /api/v1/campaigns/{campaign_id}                                      | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST   /api/v1/campaigns/{campaign_id}/actions/draw                         | 401   401   404   404   ok    404   ok    ok    404   404
POST   /api/v1/campaigns/{campaign_id}/conflicts                            | 401   401   404   404   ok    404   ok    ok    404   404 | {"username": "{colleague_username}", "operator_id": {operator_id}, "reason": "Former employee"}
# --- complaints (SPEC §10): officers of the complaint's province and CN act; the operator's staff see it once
# transferred and reply; the complainant (code) provides info, withdraws, rates, answers a settlement; admin
# and oversight have no complaint duties and may not read personal data: outside their scope (404).
# A provincial officer naming another province in a body gets 403 on the field (issue 6) ---
GET    /api/v1/complaints                                                   | 401   401   ok    ok    ok    ok    ok    ok    ok    ok
POST   /api/v1/complaints                                                   | ok    ok    ok    ok    ok    403   ok    ok    ok    ok | {"operator_id": {operator_id}, "province": "32", "category": "network", "subcategory": "coverage", "description": "No signal at home since October.", "request": "Fix the coverage", "operator_complaint_date": "2026-10-20", "operator_answer": "none", "event_date": "2026-10-01", "complainant": {"name": "王小明", "phone": "13800138000"}}
GET    /api/v1/complaints/{reference}                                       | 401   ok    ok    404   ok    404   ok    ok    404   404
POST   /api/v1/complaints/{reference}/actions/accept                        | 401   403   403   404   ok    404   ok    ok    404   404
POST   /api/v1/complaints/{reference}/actions/reject                        | 401   403   403   404   ok    404   ok    ok    404   404
POST   /api/v1/complaints/{reference}/actions/request_info                  | 401   403   403   404   ok    404   ok    ok    404   404
POST   /api/v1/complaints/{reference}/actions/provide_info                  | 401   ok    403   404   ok    404   ok    ok    404   404
POST   /api/v1/complaints/{reference}/actions/transfer                      | 401   403   403   404   ok    404   ok    ok    404   404
POST   /api/v1/complaints/{reference}/actions/operator_reply                | 401   403   ok    404   403   404   403   403   404   404
POST   /api/v1/complaints/{reference}/actions/supervise                     | 401   403   403   404   ok    404   ok    ok    404   404
POST   /api/v1/complaints/{reference}/actions/supervision_report            | 401   403   ok    404   403   404   403   403   404   404
POST   /api/v1/complaints/{reference}/actions/mediate                       | 401   403   403   404   ok    404   ok    ok    404   404
POST   /api/v1/complaints/{reference}/actions/close                         | 401   403   403   404   ok    404   ok    ok    404   404
POST   /api/v1/complaints/{reference}/actions/withdraw                      | 401   ok    403   404   ok    404   ok    ok    404   404
POST   /api/v1/complaints/{reference}/actions/rate                          | 401   ok    403   404   403   404   403   403   404   404
POST   /api/v1/complaints/{reference}/actions/respond_settlement            | 401   ok    403   404   403   404   403   403   404   404
POST   /api/v1/complaints/{reference}/attachments                           | 401   ok    ok    404   ok    404   ok    ok    404   404 | form {"file": "@pdf"}
GET    /api/v1/complaints/{reference}/attachments/{attachment_id}           | 401   ok    ok    404   ok    404   ok    ok    404   404
# --- API reference: public ---
GET    /api/v1/docs                                                         | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /api/v1/docs/assets/swagger-ui.css                                   | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
# --- findings and what is due: officers act; staff see their operator's ---
GET    /api/v1/due                                                          | 401   401   ok    ok    ok    ok    ok    ok    ok    ok
GET    /api/v1/findings                                                     | 401   401   ok    ok    ok    ok    ok    ok    ok    ok
POST   /api/v1/findings                                                     | 401   401   403   403   ok    404   ok    ok    403   403 | {"operator_id": {operator_id}, "province": "32", "article": "M 16", "facts": "Hotline unanswered"}
GET    /api/v1/findings/{finding_id}                                        | 401   401   ok    404   ok    404   ok    ok    404   404
POST   /api/v1/findings/{finding_id}/actions/close                          | 401   401   403   404   ok    404   ok    ok    404   404
POST   /api/v1/format-clauses/{clause_id}/actions/accept                    | 401   401   403   404   ok    404   ok    ok    404   404
POST   /api/v1/format-clauses/{clause_id}/actions/request_changes           | 401   401   403   404   ok    404   ok    ok    404   404
# --- inspections [M 7, M 8]: the team's authority (CN all) acts, publishers publish; the operator sees one from
# its draft result and replies; evidence files are the officers' ---
GET    /api/v1/inspections                                                  | 401   401   ok    ok    ok    ok    ok    ok    ok    ok
POST   /api/v1/inspections                                                  | 401   401   403   403   ok    404   ok    ok    403   403 | {"operator_id": {operator_id}, "type": "onsite", "officers": ["{officer_username}", "{colleague_username}"], "planned_on": "2026-11-30"}
GET    /api/v1/inspections/{inspection_id}                                  | 401   401   ok    404   ok    404   ok    ok    404   404
POST   /api/v1/inspections/{inspection_id}/actions/start                    | 401   401   403   404   ok    404   ok    ok    404   404
POST   /api/v1/inspections/{inspection_id}/actions/issue_draft              | 401   401   403   404   ok    404   ok    ok    404   404
POST   /api/v1/inspections/{inspection_id}/actions/reply                    | 401   401   ok    404   403   404   403   403   404   404
POST   /api/v1/inspections/{inspection_id}/actions/finalise                 | 401   401   403   404   ok    404   ok    ok    404   404
POST   /api/v1/inspections/{inspection_id}/actions/publish                  | 401   401   403   404   403   404   403   ok    404   404
POST   /api/v1/inspections/{inspection_id}/actions/correct                  | 401   401   403   404   403   404   403   ok    404   404
POST   /api/v1/inspections/{inspection_id}/actions/cancel                   | 401   401   403   404   ok    404   ok    ok    404   404
GET    /api/v1/inspections/{inspection_id}/evidence/{evidence_id}           | 401   401   403   404   ok    404   ok    ok    404   404
PUT    /api/v1/inspections/{inspection_id}/items/{inspection_item_id}       | 401   401   403   404   ok    404   ok    ok    404   404 | {"result": "pass"}
POST   /api/v1/inspections/{inspection_id}/items/{inspection_item_id}/evidence | 401   401   403   404   ok    404   ok    ok    404   404 | form {"file": "@pdf"}
POST   /api/v1/inspections/{inspection_id}/seals                            | 401   401   403   404   ok    404   ok    ok    404   404 | {"items": "Billing records, 2 boxes"}
POST   /api/v1/inspections/{inspection_id}/seals/{seal_id}/unseal           | 401   401   403   404   ok    404   ok    ok    404   404 | {"note": "Copied"}
PUT    /api/v1/inspections/{inspection_id}/team                             | 401   401   403   404   ok    404   ok    ok    404   404 | {"officers": ["{officer_username}", "{colleague_username}"]}
# --- operators (SPEC §2, §10): public records; the supervising authority edits; staff keep hotlines, counts ---
GET    /api/v1/openapi.json                                                 | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /api/v1/operators                                                    | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST   /api/v1/operators                                                    | 401   401   403   403   ok    403   ok    ok    403   ok | {"name": "New Net", "uscc": "{new_uscc}", "licence_no": "B2-32-9999", "licence_type": "value_added", "scope": "provincial", "province": "32", "licence_valid_from": "2025-01-01", "licence_valid_until": "2029-12-31", "hotline": "10010"}
GET    /api/v1/operators/{operator_id}                                      | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
PATCH  /api/v1/operators/{operator_id}                                      | 401   401   403   404   ok    404   ok    ok    403   ok
POST   /api/v1/operators/{operator_id}/billing-samples                      | 401   401   403   403   ok    404   ok    ok    403   403 | {"province": "32", "size": 2, "accounts": ["A-1", "A-2", "A-3"], "seed": 7}
GET    /api/v1/operators/{operator_id}/deposit                              | 401   401   ok    404   ok    404   ok    ok    ok    ok
POST   /api/v1/operators/{operator_id}/deposit                              | 401   401   403   404   ok    404   ok    ok    403   ok | {"kind": "deposit", "amount_fen": 100}
GET    /api/v1/operators/{operator_id}/format-clauses                       | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST   /api/v1/operators/{operator_id}/format-clauses                       | 401   401   ok    404   403   404   403   403   403   403 | {"title": "资费协议", "text": "第一条 用户办理业务时，经营者应当以显著方式提示资费标准和服务期限。"}
GET    /api/v1/operators/{operator_id}/hotlines                             | 401   401   ok    404   ok    404   ok    ok    ok    ok
PUT    /api/v1/operators/{operator_id}/hotlines                             | 401   401   ok    404   ok    404   ok    ok    403   ok | {"hotlines": [{"kind": "phone", "number": "10086"}]}
GET    /api/v1/operators/{operator_id}/retention-attestations               | 401   401   ok    404   ok    404   ok    ok    ok    ok
POST   /api/v1/operators/{operator_id}/retention-attestations               | 401   401   ok    404   403   403   403   403   403   403 | {"system": "BOSS-2", "province": "32", "earliest_day": "2026-06-26", "latest_day": "2026-11-26", "as_of": "2026-11-26"}
PUT    /api/v1/operators/{operator_id}/subscriber-counts                    | 401   401   ok    404   ok    404   ok    ok    403   ok | {"province": "32", "quarter": "2026Q3", "subscribers": 1000}
# --- orders and penalties [M 21–23]: a draft penalty is the authority's until a publisher approves it (404 to staff) ---
GET    /api/v1/orders                                                       | 401   401   ok    ok    ok    ok    ok    ok    ok    ok
POST   /api/v1/orders                                                       | 401   401   403   403   ok    404   ok    ok    403   403 | {"operator_id": {operator_id}, "finding_ids": [{finding_id}], "requirement": "Staff the hotline.", "deadline": "2026-12-31"}
GET    /api/v1/orders/{order_id}                                            | 401   401   ok    404   ok    404   ok    ok    404   404
POST   /api/v1/orders/{order_id}/actions/file_plan                          | 401   401   ok    404   403   404   403   403   404   404
POST   /api/v1/orders/{order_id}/actions/report_completion                  | 401   401   ok    404   403   404   403   403   404   404
POST   /api/v1/orders/{order_id}/actions/verify                             | 401   401   403   404   ok    404   ok    ok    404   404
POST   /api/v1/orders/{order_id}/actions/reopen                             | 401   401   403   404   ok    404   ok    ok    404   404
POST   /api/v1/orders/{order_id}/evidence                                   | 401   401   ok    404   403   404   403   403   404   404 | form {"file": "@pdf"}
GET    /api/v1/orders/{order_id}/evidence/1                                 | 401   401   ok    404   ok    404   ok    ok    404   404
GET    /api/v1/orders/{order_id}/notice.pdf                                 | 401   401   ok    404   ok    404   ok    ok    404   404
GET    /api/v1/penalties                                                    | 401   401   ok    ok    ok    ok    ok    ok    ok    ok
POST   /api/v1/penalties                                                    | 401   401   403   403   ok    404   ok    ok    403   403 | {"operator_id": {operator_id}, "rule": "M23", "measure": "warning", "facts": "Late report", "finding_id": {finding_id}}
GET    /api/v1/penalties/{penalty_id}                                       | 401   401   404   404   ok    404   ok    ok    404   404
POST   /api/v1/penalties/{penalty_id}/actions/approve                       | 401   401   404   404   403   404   403   ok    404   404
POST   /api/v1/penalties/{penalty_id}/actions/publish                       | 401   401   404   404   ok    404   ok    ok    404   404
GET    /api/v1/penalties/{decided_penalty_id}/decision.pdf                  | 401   401   ok    404   ok    404   ok    ok    404   404
# --- personal-data reads (个人信息保护法): the oversight role reviews who read what; no one else ---
GET    /api/v1/personal-data-reads                                          | 401   401   403   403   403   403   403   403   ok    403
# --- publications (SPEC §8): published ones are public; a draft is its authority's, approved by a publisher
# of that authority other than the preparer; MIIT reads a province's draft but does not act on it ---
GET    /api/v1/publications                                                 | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST   /api/v1/publications                                                 | 401   401   403   403   ok    ok    ok    ok    403   403 | {"kind": "complaint_statistics", "period": "2026Q1"}
GET    /api/v1/publications/{publication_id}                                | 404   404   404   404   ok    404   ok    ok    404   404
POST   /api/v1/publications/{publication_id}/actions/refresh                | 401   401   404   404   ok    404   403   ok    404   404
POST   /api/v1/publications/{publication_id}/actions/approve                | 401   401   404   404   403   404   403   ok    404   404
# --- figures before publication: officers only ---
GET    /api/v1/risk-scores?quarter=2026Q3                                   | 401   401   403   403   ok    ok    ok    ok    403   403
GET    /api/v1/satisfaction-index                                           | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /api/v1/satisfaction-index/preview?period=2026Q3                     | 401   401   403   403   ok    ok    ok    ok    403   403
# --- self-inspection [M 18]: the operator's staff write and submit, officers of the routed authority decide ---
GET    /api/v1/self-inspections                                             | 401   401   ok    ok    ok    ok    ok    ok    ok    ok
POST   /api/v1/self-inspections                                             | 401   401   ok    ok    403   403   403   403   403   403 | {"period": "2025H2"}
GET    /api/v1/self-inspections/{report_id}                                 | 401   401   ok    404   ok    404   ok    ok    404   404
PATCH  /api/v1/self-inspections/{report_id}                                 | 401   401   ok    404   403   404   403   403   404   404
POST   /api/v1/self-inspections/{report_id}/actions/submit                  | 401   401   ok    404   403   404   403   403   404   404
POST   /api/v1/self-inspections/{report_id}/actions/accept                  | 401   401   403   404   ok    404   ok    ok    404   404
POST   /api/v1/self-inspections/{report_id}/actions/return                  | 401   401   403   404   ok    404   ok    ok    404   404
GET    /api/v1/statistics/complaints?period=2026Q3                          | 401   401   403   403   ok    ok    ok    ok    403   403
POST   /api/v1/surveys/import                                               | 401   401   403   403   ok    ok    ok    ok    403   403 | form {"file": "@csv"}
# --- public pages ---
GET    /campaigns/{campaign_id}                                             | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /complaints/filed                                                    | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST   /complaints/filed/done                                               | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /complaints/new                                                      | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST   /complaints/new                                                      | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /favicon.ico                                                         | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /feed.atom                                                           | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /healthz                                                             | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST   /lang                                                                | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /login                                                               | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST   /login                                                               | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST   /logout                                                              | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
# --- officer pages: officers only (403 for other roles, log-in for visitors); records outside the
# officer's province answer 404 ---
GET    /officer/billing-samples                                             | login login 403   403   ok    ok    ok    ok    403   403
POST   /officer/billing-samples                                             | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/billing-samples/{sample_id}                                 | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/campaigns                                                   | login login 403   403   ok    ok    ok    ok    403   403
POST   /officer/campaigns                                                   | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/campaigns/{campaign_id}                                     | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/campaigns/{campaign_id}/conflicts                           | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/campaigns/{campaign_id}/draw                                | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/complaints                                                  | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/complaints.csv                                              | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/complaints/new                                              | login login 403   403   ok    ok    ok    ok    403   403
POST   /officer/complaints/new                                              | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/complaints/{reference}                                      | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/complaints/{reference}/actions/supervise                    | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/complaints/{reference}/attachments/{attachment_id}          | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/complaints/{reference}/filed                                | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/complaints/{reference}/filed/done                           | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/due                                                         | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/format-clauses                                              | login login 403   403   ok    ok    ok    ok    403   403
POST   /officer/format-clauses/{clause_id}/actions/accept                   | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/inspections                                                 | login login 403   403   ok    ok    ok    ok    403   403
POST   /officer/inspections                                                 | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/inspections/{inspection_id}                                 | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/inspections/{inspection_id}/actions/finalise                | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/inspections/{inspection_id}/evidence/{evidence_id}          | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/inspections/{inspection_id}/items/{inspection_item_id}      | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/inspections/{inspection_id}/seals                           | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/inspections/{inspection_id}/seals/{seal_id}/unseal          | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/operators                                                   | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/operators/new                                               | login login 403   403   ok    ok    ok    ok    403   403
POST   /officer/operators/new                                               | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/operators/{operator_id}                                     | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/operators/{operator_id}/edit                                | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/operators/{operator_id}/edit                                | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/operators/{operator_id}/subscribers                         | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/orders                                                      | login login 403   403   ok    ok    ok    ok    403   403
POST   /officer/orders                                                      | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/orders/{order_id}                                           | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/orders/{order_id}/actions/verify                            | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/orders/{order_id}/notice.pdf                                | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/orders/{order_id}/evidence/1                                | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/penalties                                                   | login login 403   403   ok    ok    ok    ok    403   403
POST   /officer/penalties                                                   | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/penalties/{penalty_id}                                      | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/penalties/{penalty_id}/actions/approve                      | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/penalties/{decided_penalty_id}/decision.pdf                 | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/publications/                                               | login login 403   403   ok    ok    ok    ok    403   403
POST   /officer/publications/                                               | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/publications/{publication_id}                               | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/publications/{publication_id}/actions/approve               | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/risk                                                        | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/self-inspections                                            | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/self-inspections/{report_id}                                | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/self-inspections/{report_id}.pdf                            | login login 403   403   ok    404   ok    ok    403   403
POST   /officer/self-inspections/{report_id}/actions/accept                 | login login 403   403   ok    404   ok    ok    403   403
GET    /officer/supervision                                                 | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/surveys                                                     | login login 403   403   ok    ok    ok    ok    403   403
POST   /officer/surveys                                                     | login login 403   403   ok    ok    ok    ok    403   403
GET    /officer/surveys/index                                               | login login 403   403   ok    ok    ok    ok    403   403
# --- public pages ---
GET    /open-data/                                                          | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /operators                                                           | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /operators/{operator_id}/format-clauses                              | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
# --- oversight pages: the read log of personal data, for the oversight role only ---
GET    /oversight/personal-data-reads                                       | login login 403   403   403   403   403   403   ok    403
GET    /oversight/personal-data-reads.csv                                   | login login 403   403   403   403   403   403   ok    403
# --- operator portal: its staff only; another operator's records answer 404 ---
GET    /portal/                                                             | login login ok    ok    403   403   403   403   403   403
GET    /portal/complaints/{reference}                                       | login login ok    404   403   403   403   403   403   403
POST   /portal/complaints/{reference}/actions/operator_reply                | login login ok    404   403   403   403   403   403   403
GET    /portal/complaints/{reference}/attachments/{attachment_id}           | login login ok    404   403   403   403   403   403   403
GET    /portal/format-clauses                                               | login login ok    ok    403   403   403   403   403   403
POST   /portal/format-clauses                                               | login login ok    ok    403   403   403   403   403   403
GET    /portal/hotlines                                                     | login login ok    ok    403   403   403   403   403   403
POST   /portal/hotlines                                                     | login login ok    ok    403   403   403   403   403   403
GET    /portal/inspections/{inspection_id}                                  | login login ok    404   403   403   403   403   403   403
POST   /portal/inspections/{inspection_id}/actions/reply                    | login login ok    404   403   403   403   403   403   403
GET    /portal/operator                                                     | login login ok    ok    403   403   403   403   403   403
GET    /portal/orders/{order_id}                                            | login login ok    404   403   403   403   403   403   403
POST   /portal/orders/{order_id}/actions/file_plan                          | login login ok    404   403   403   403   403   403   403
POST   /portal/orders/{order_id}/evidence                                   | login login ok    404   403   403   403   403   403   403
GET    /portal/orders/{order_id}/evidence/1                                 | login login ok    404   403   403   403   403   403   403
GET    /portal/orders/{order_id}/notice.pdf                                 | login login ok    404   403   403   403   403   403   403
GET    /portal/penalties/{decided_penalty_id}/decision.pdf                  | login login ok    404   403   403   403   403   403   403
GET    /portal/retention                                                    | login login ok    ok    403   403   403   403   403   403
POST   /portal/retention                                                    | login login ok    ok    403   403   403   403   403   403
POST   /portal/retention/upload                                             | login login ok    ok    403   403   403   403   403   403
GET    /portal/samples                                                      | login login ok    ok    403   403   403   403   403   403
POST   /portal/samples/{sample_id}/items/{sample_item_id}                   | login login ok    404   403   403   403   403   403   403
GET    /portal/self-inspections                                             | login login ok    ok    403   403   403   403   403   403
POST   /portal/self-inspections                                             | login login ok    ok    403   403   403   403   403   403
GET    /portal/self-inspections/{report_id}                                 | login login ok    404   403   403   403   403   403   403
POST   /portal/self-inspections/{report_id}                                 | login login ok    404   403   403   403   403   403   403
GET    /portal/self-inspections/{report_id}.pdf                             | login login ok    404   403   403   403   403   403   403
POST   /portal/self-inspections/{report_id}/submit                          | login login ok    404   403   403   403   403   403   403
GET    /portal/supervision                                                  | login login ok    ok    403   403   403   403   403   403
GET    /publications/                                                       | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /publications/{authority}/{slug}/{period}/                           | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /publications/{authority}/{slug}/{period}/v{version}/                | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /publications/{authority}/{slug}/{period}/v{version}/{name}          | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /satisfaction/                                                       | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /spot-checks                                                         | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /spot-checks/{operator_id}                                           | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /statistics/                                                         | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
# --- tracking pages: the complainant with reference and code; without them a record is not found ---
GET    /track                                                               | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST   /track                                                               | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
POST   /track/actions/withdraw                                              | 404   ok    404   404   404   404   404   404   404   404
GET    /track/complaint                                                     | ok    ok    ok    ok    ok    ok    ok    ok    ok    ok
GET    /track/complaint/files/{attachment_id}                               | 404   ok    404   404   404   404   404   404   404   404
"""
ROWS = parse_rows(TABLE)
