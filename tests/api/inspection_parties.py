"""Everybody an inspection, an order or a penalty involves: a Jiangsu operator, Jiangsu officers
with and without credentials, a publisher, a Guangdong officer, the operator's staff."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=SHANGHAI).astimezone(UTC)


class Parties:
    def __init__(self, factory, client):
        self.factory, self.client = factory, client
        self.operator = factory.operator(province="32")
        self.lead = factory.officer("32")
        self.colleague = factory.officer("32")
        self.uncredentialed = factory.user("officer", authority="32")
        self.publisher = factory.officer("32", publisher=True)
        self.second_publisher = factory.officer("32", publisher=True)
        self.outsider = factory.officer("44")
        self.staff = factory.user("operator", operator=self.operator)

    def h(self, user) -> dict:
        return self.factory.headers(user)

    def post(self, user, url, body=None, **kw):
        return self.client.post(f"/api/v1{url}", json=body if body is not None else {}, headers=self.h(user), **kw)

    def get(self, user, url):
        return self.client.get(f"/api/v1{url}", headers=self.h(user))

    def plan(self, officers=None, user=None, type_="onsite", **extra) -> dict:
        body = {"operator_id": self.operator.id, "type": type_, "planned_on": "2026-11-30",
                "officers": [u.username for u in (officers if officers is not None
                                                  else [self.lead, self.colleague])]} | extra
        return self.post(user or self.lead, "/inspections", body)

    def started(self, type_="onsite") -> int:
        inspection_id = self.plan(type_=type_).get_json()["id"]
        assert self.post(self.lead, f"/inspections/{inspection_id}/actions/start").status_code == 200
        return inspection_id

    def record_all(self, inspection_id, result="pass", fail_first=False) -> list[dict]:
        items = self.get(self.lead, f"/inspections/{inspection_id}").get_json()["items"]
        for n, item in enumerate(items):
            outcome = "fail" if fail_first and n == 0 else result
            response = self.client.put(f"/api/v1/inspections/{inspection_id}/items/{item['id']}",
                                       json={"result": outcome, "note": "hotline rang out unanswered 12 times"},
                                       headers=self.h(self.lead))
            assert response.status_code == 200, response.get_json()
        return items

    def drafted(self, fail_first=True) -> int:
        inspection_id = self.started()
        self.record_all(inspection_id, fail_first=fail_first)
        response = self.post(self.lead, f"/inspections/{inspection_id}/actions/issue_draft",
                             {"summary": "The hotline was not answered in 12 test calls."})
        assert response.status_code == 200, response.get_json()
        return inspection_id

    def finding(self, article="M 16", facts="Hotline unanswered") -> int:
        from supervision.audit import Actor
        from supervision.extensions import db
        from supervision.findings.services import raise_finding

        finding, _ = raise_finding(self.operator, "32", "officer", article, facts, Actor.of(self.lead),
                                   self.factory.now)
        db.session.commit()
        return finding.id

    def order(self, finding_ids=None, deadline="2026-12-31") -> dict:
        response = self.post(self.lead, "/orders", {"operator_id": self.operator.id,
                                                    "finding_ids": finding_ids or [self.finding()],
                                                    "requirement": "Staff the hotline 24 hours a day.",
                                                    "deadline": deadline})
        assert response.status_code == 201, response.get_json()
        return response.get_json()
