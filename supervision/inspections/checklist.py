"""Checklist templates per inspection type: items drawn from the service standards and the
measures, each with the article a failure breaches (the finding it raises cites it)."""

# (code, text, article)
COMMON = (
    ("HOTLINE", "A complaint hotline is published and staffed (对外公布投诉电话，配备受理人员)", "M 16"),
    ("REPLY", "Complaints are answered within the prescribed time, without passing users on (规定时限内答复)",
     "M 16"),
    ("SUPERVISED", "Matters supervised by the authority are reported on in time (督办事宜按时报告)", "M 16"),
)
BY_TYPE = {
    "onsite": (
        ("FORMAT", "Standard-form clauses are filed and point out liability limits (格式条款备案并提请注意)", "M 15"),
        ("SELFCHECK", "Self-inspections against the service standards are done and reported (定期自查并报告)",
         "M 18"),
    ),
    "mystery": (
        ("ANSWER", "A test call to the hotline is answered and the query resolved (暗访拨测)", "M 16"),
        ("BILLINFO", "A billing query is explained on request (提供查询方便，做好解释)", "M 17"),
    ),
    "document": (
        ("FORMAT", "Standard-form clauses are filed and point out liability limits (格式条款备案并提请注意)", "M 15"),
        ("RECORDS", "Complaint records and replies are kept and complete (投诉处理记录完整)", "M 16"),
    ),
    "billing_sample": (
        ("RETAIN", "Raw billing data of the last 5 months is producible (计费原始数据保存5个月)", "M 17"),
        ("DISPUTED", "Records of unresolved disputes are preserved (争议未解决时保存原始资料)", "M 17"),
    ),
}


def template_for(inspection_type: str) -> tuple[tuple[str, str, str], ...]:
    return COMMON + BY_TYPE[inspection_type]
