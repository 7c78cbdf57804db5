"""The records and the people of the access matrix (tests/test_access_matrix.py), built once.

Two Jiangsu (32) operators, "own" and "other"; one record of every kind about the own
operator, made through the real API by the people who make them in real life, so ownership
is what the services decide. The people are the matrix's columns: the complainant holds the
complaint's access code, the provincial officer, the publisher and the staff belong to Jiangsu
and the own operator, the outsiders to Guangdong (44) and the other operator.
"""
import io
from dataclasses import dataclass, field

from supervision.extensions import db

PDF = b"%PDF-1.4\n" + b"0" * 64
SURVEY_HEADER = (b"operator_licence_no,province,service,period,respondent_id,expectations,perceived_quality,"
                 b"perceived_value,satisfaction,complaints,loyalty\n")
ACCOUNTS = [f"ACC-{n:04d}" for n in range(1, 21)]
PASSWORD = "Correct-horse-1"
# The matrix's columns, in the order the table lists them.
ROLES = ("anonymous", "complainant", "staff_own", "staff_other", "officer_in_scope", "officer_other_province",
         "miit", "publisher", "oversight", "admin")


@dataclass
class World:
    params: dict[str, str] = field(default_factory=dict)  # path placeholder → value
    user_ids: dict[str, int] = field(default_factory=dict)  # role → user id
    tokens: dict[str, str] = field(default_factory=dict)  # role → bearer token
    cookies: dict[str, str] = field(default_factory=dict)  # role → web session cookie
    reference: str = ""
    access_code: str = ""


class Builder:
    def __init__(self, app, factory):
        self.app, self.factory = app, factory
        self.client = app.test_client()
        self.world = World()

    def api(self, role: str, method: str, url: str, expect: int = 200, **kw):
        headers = {"Authorization": f"Bearer {self.world.tokens[role]}"}
        response = self.client.open(f"/api/v1{url}", method=method, headers=headers, **kw)
        assert response.status_code == expect, (method, url, response.status_code, response.get_data(as_text=True))
        return response.get_json()

    def people(self) -> None:
        from supervision.operators.rules import make_uscc

        f, w = self.factory, self.world
        own, other = f.operator(province="32", name="Own Telecom"), f.operator(province="32", name="Other Telecom")
        self.own, self.other = own, other
        users = {"staff_own": f.user("operator", operator=own), "staff_other": f.user("operator", operator=other),
                 "officer_in_scope": f.officer("32"), "colleague": f.officer("32"),
                 "officer_other_province": f.officer("44"), "miit": f.officer("CN"),
                 "publisher": f.officer("32", publisher=True), "oversight": f.user("oversight"),
                 "admin": f.admin()}
        self.users = users
        for role, user in users.items():
            w.user_ids[role] = user.id
            w.tokens[role] = f.headers(user)["Authorization"].removeprefix("Bearer ")
        w.params |= {"operator_id": str(own.id), "other_operator_id": str(other.id),
                     "officer_username": users["officer_in_scope"].username,
                     "colleague_username": users["colleague"].username, "new_uscc": make_uscc("320100", 9999)}

    def complaint(self) -> None:
        from supervision.audit import Actor
        from supervision.complaints import transitions

        w, f = self.world, self.factory
        complaint, code = f.complaint(self.own, "32")
        for action in ("accept", "transfer"):
            transitions.perform(complaint, action, {}, Actor.of(self.users["officer_in_scope"]), f.now)
        db.session.commit()
        w.reference, w.access_code = complaint.reference, code
        response = self.client.post(f"/api/v1/complaints/{complaint.reference}/attachments",
                                    data={"file": (io.BytesIO(PDF), "bill.pdf"), "access_code": code},
                                    content_type="multipart/form-data")
        assert response.status_code == 201, response.get_data(as_text=True)
        w.params |= {"reference": complaint.reference, "attachment_id": str(response.get_json()["id"])}

    def supervision_records(self) -> None:
        from supervision.audit import Actor
        from supervision.findings.services import raise_finding

        w, own = self.world, self.own
        finding, _ = raise_finding(own, "32", "officer", "M 16", "Hotline unanswered",
                                   Actor.of(self.users["officer_in_scope"]), self.factory.now)
        db.session.commit()
        order = self.api("officer_in_scope", "POST", "/orders", 201, json={
            "operator_id": own.id, "finding_ids": [finding.id], "requirement": "Staff the hotline.",
            "deadline": "2026-12-31"})
        self.client.post(f"/api/v1/orders/{order['id']}/evidence",
                         headers={"Authorization": f"Bearer {w.tokens['staff_own']}"},
                         data={"file": (io.BytesIO(PDF), "rota.pdf")}, content_type="multipart/form-data")
        penalty, decided = ({"operator_id": own.id, "rule": "M23", "measure": "warning", "facts": facts,
                             "finding_id": finding.id} for facts in ("Hotline unanswered.", "Clauses not filed."))
        penalty = self.api("officer_in_scope", "POST", "/penalties", 201, json=penalty)
        decided = self.api("officer_in_scope", "POST", "/penalties", 201, json=decided)
        self.api("publisher", "POST", f"/penalties/{decided['id']}/actions/approve", json={})
        campaign = self.api("officer_in_scope", "POST", "/campaigns", 201, json={
            "period": "2026Q4", "type": "onsite", "operators_to_draw": 1, "inspectors_per_inspection": 2})
        w.params |= {"finding_id": str(finding.id), "order_id": str(order["id"]), "penalty_id": str(penalty["id"]),
                     "decided_penalty_id": str(decided["id"]),
                     "campaign_id": str(campaign["id"])}
        published = self.drafted_inspection()[0]
        self.api("staff_own", "POST", f"{published}/actions/reply", json={"reply": "Agreed."})
        self.api("officer_in_scope", "POST", f"{published}/actions/finalise", json={})
        self.api("publisher", "POST", f"{published}/actions/publish", json={})
        url, items, evidence, seal = self.drafted_inspection()
        self.world.params |= {"inspection_id": url.rsplit("/", 1)[1], "inspection_item_id": str(items[0]["id"]),
                              "evidence_id": str(evidence["id"]), "seal_id": str(seal["id"])}

    def drafted_inspection(self):
        """An inspection with its draft result issued: the moment the operator first sees it."""
        team = [self.users["officer_in_scope"].username, self.users["colleague"].username]
        created = self.api("officer_in_scope", "POST", "/inspections", 201, json={
            "operator_id": self.own.id, "type": "onsite", "officers": team, "planned_on": "2026-11-30"})
        url = f"/inspections/{created['id']}"
        self.api("officer_in_scope", "POST", f"{url}/actions/start", json={})
        items = self.api("officer_in_scope", "GET", url)["items"]
        for item in items:
            self.api("officer_in_scope", "PUT", f"{url}/items/{item['id']}", json={"result": "pass"})
        evidence = self.api("officer_in_scope", "POST", f"{url}/items/{items[0]['id']}/evidence", 201,
                            data={"file": (io.BytesIO(PDF), "photo.pdf")}, content_type="multipart/form-data")
        seal = self.api("officer_in_scope", "POST", f"{url}/seals", 201, json={"items": "Billing records, 3 boxes"})
        self.api("officer_in_scope", "POST", f"{url}/actions/issue_draft", json={"summary": "All in order."})
        return url, items, evidence, seal

    def obligations(self) -> None:
        w, own = self.world, self.own
        report = self.api("staff_own", "POST", "/self-inspections", 201, json={"period": "2026H1"})
        sample = self.api("officer_in_scope", "POST", f"/operators/{own.id}/billing-samples", 201, json={
            "province": "32", "size": 3, "accounts": ACCOUNTS, "seed": 2026})
        clause = self.api("staff_own", "POST", f"/operators/{own.id}/format-clauses", 201, json={
            "title": "入网协议", "text": "第一条 用户办理业务时，经营者应当以显著方式提示资费标准和服务期限。"})
        self.api("staff_own", "POST", f"/operators/{own.id}/retention-attestations", 201, json={
            "system": "BOSS-1", "province": "32", "earliest_day": "2026-06-26", "latest_day": "2026-11-26",
            "as_of": "2026-11-26"})
        self.api("admin", "PUT", "/calendar/overrides/2026-02-03", json={"is_working_day": False, "note": "State Council notice"})
        w.params |= {"report_id": str(report["id"]), "sample_id": str(sample["id"]),
                     "sample_item_id": str(sample["items"][0]["id"]), "clause_id": str(clause["id"]),
                     "day": "2026-02-03"}

    def publications(self) -> None:
        """A draft (the publisher's to approve) and a published one (the public's to read)."""
        w = self.world
        published = self.api("officer_in_scope", "POST", "/publications", 201, json={
            "kind": "complaint_statistics", "period": "2026Q2"})
        published = self.api("publisher", "POST", f"/publications/{published['id']}/actions/approve", json={})
        draft = self.api("officer_in_scope", "POST", "/publications", 201, json={
            "kind": "complaint_statistics", "period": "2026Q3"})
        w.params |= {"publication_id": str(draft["id"]), "published_id": str(published["id"])}
        w.params |= published_page_params(published)

    def web_sessions(self) -> None:
        """Each role signs in once; the complainant checks their code on the tracking page."""
        w = self.world
        for role, user in self.users.items():
            client = self.app.test_client()
            response = client.post("/login", data={"username": user.username, "password": PASSWORD})
            assert response.status_code == 303, (role, response.status_code)
            w.cookies[role] = client.get_cookie("session").value
        client = self.app.test_client()
        response = client.post("/track", data={"reference": w.reference, "access_code": w.access_code})
        assert response.status_code == 303, response.get_data(as_text=True)
        w.cookies["complainant"] = client.get_cookie("session").value


def published_page_params(publication: dict) -> dict:
    """authority, slug, period, version and a file name from a published publication's file URL."""
    url = publication["files"][0]["url"]
    parts = url.split("/publications/", 1)[1].strip("/").split("/")
    authority, slug, period, version, name = parts
    return {"authority": authority, "slug": slug, "period": period, "version": version.removeprefix("v"),
            "name": name}


def build_world(app, factory) -> World:
    builder = Builder(app, factory)
    builder.people()
    builder.complaint()
    builder.supervision_records()
    builder.obligations()
    builder.publications()
    builder.web_sessions()
    return builder.world
