"""reference data: authorities (GB/T 2260) and the complaint clock policies (SPEC §3)

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# MIIT and the 31 provincial communications administrations [M 3] (GB/T 2260 codes).
AUTHORITIES = [
    ('CN', '全国', 'National', '中华人民共和国工业和信息化部', 'Ministry of Industry and Information Technology'),
    ('11', '北京市', 'Beijing', '北京市通信管理局', 'Beijing Communications Administration'),
    ('12', '天津市', 'Tianjin', '天津市通信管理局', 'Tianjin Communications Administration'),
    ('13', '河北省', 'Hebei', '河北省通信管理局', 'Hebei Communications Administration'),
    ('14', '山西省', 'Shanxi', '山西省通信管理局', 'Shanxi Communications Administration'),
    ('15', '内蒙古自治区', 'Inner Mongolia', '内蒙古自治区通信管理局', 'Inner Mongolia Communications Administration'),
    ('21', '辽宁省', 'Liaoning', '辽宁省通信管理局', 'Liaoning Communications Administration'),
    ('22', '吉林省', 'Jilin', '吉林省通信管理局', 'Jilin Communications Administration'),
    ('23', '黑龙江省', 'Heilongjiang', '黑龙江省通信管理局', 'Heilongjiang Communications Administration'),
    ('31', '上海市', 'Shanghai', '上海市通信管理局', 'Shanghai Communications Administration'),
    ('32', '江苏省', 'Jiangsu', '江苏省通信管理局', 'Jiangsu Communications Administration'),
    ('33', '浙江省', 'Zhejiang', '浙江省通信管理局', 'Zhejiang Communications Administration'),
    ('34', '安徽省', 'Anhui', '安徽省通信管理局', 'Anhui Communications Administration'),
    ('35', '福建省', 'Fujian', '福建省通信管理局', 'Fujian Communications Administration'),
    ('36', '江西省', 'Jiangxi', '江西省通信管理局', 'Jiangxi Communications Administration'),
    ('37', '山东省', 'Shandong', '山东省通信管理局', 'Shandong Communications Administration'),
    ('41', '河南省', 'Henan', '河南省通信管理局', 'Henan Communications Administration'),
    ('42', '湖北省', 'Hubei', '湖北省通信管理局', 'Hubei Communications Administration'),
    ('43', '湖南省', 'Hunan', '湖南省通信管理局', 'Hunan Communications Administration'),
    ('44', '广东省', 'Guangdong', '广东省通信管理局', 'Guangdong Communications Administration'),
    ('45', '广西壮族自治区', 'Guangxi', '广西壮族自治区通信管理局', 'Guangxi Communications Administration'),
    ('46', '海南省', 'Hainan', '海南省通信管理局', 'Hainan Communications Administration'),
    ('50', '重庆市', 'Chongqing', '重庆市通信管理局', 'Chongqing Communications Administration'),
    ('51', '四川省', 'Sichuan', '四川省通信管理局', 'Sichuan Communications Administration'),
    ('52', '贵州省', 'Guizhou', '贵州省通信管理局', 'Guizhou Communications Administration'),
    ('53', '云南省', 'Yunnan', '云南省通信管理局', 'Yunnan Communications Administration'),
    ('54', '西藏自治区', 'Xizang', '西藏自治区通信管理局', 'Xizang Communications Administration'),
    ('61', '陕西省', 'Shaanxi', '陕西省通信管理局', 'Shaanxi Communications Administration'),
    ('62', '甘肃省', 'Gansu', '甘肃省通信管理局', 'Gansu Communications Administration'),
    ('63', '青海省', 'Qinghai', '青海省通信管理局', 'Qinghai Communications Administration'),
    ('64', '宁夏回族自治区', 'Ningxia', '宁夏回族自治区通信管理局', 'Ningxia Communications Administration'),
    ('65', '新疆维吾尔自治区', 'Xinjiang', '新疆维吾尔自治区通信管理局', 'Xinjiang Communications Administration'),
]

# name, length, unit, start event, stop event, legal source, owed by (who is late when missed)
CLOCKS = [
    ("acceptance", 5, "working", "received", "accepted/rejected", "[C 14] 电信用户申诉处理办法 第十四条", "authority"),
    ("answer", 30, "calendar", "received", "closed", "[C] 电信用户申诉处理办法 / 电信条例", "authority"),
    ("operator_reply", 10, "working", "transferred", "operator_replied", "[default] transfer reply period", "operator"),
    ("supervision_report", 5, "working", "supervised", "report filed", "[M 16] 督办事宜报告 [default]", "operator"),
    ("operator_precondition", 15, "calendar", "operator_complaint_date", "-", "[C 10] 经营者答复期", "operator"),
]

authorities = sa.table("authorities", sa.column("code", sa.String), sa.column("name_zh", sa.String),
                       sa.column("name_en", sa.String), sa.column("authority_zh", sa.String),
                       sa.column("authority_en", sa.String), sa.column("accepts_complaints", sa.Boolean))
clock_policies = sa.table("clock_policies", sa.column("name", sa.String), sa.column("length", sa.Integer),
                          sa.column("unit", sa.String), sa.column("start_event", sa.String),
                          sa.column("stop_event", sa.String), sa.column("legal_source", sa.String),
                          sa.column("owed_by", sa.String))


def upgrade():
    op.bulk_insert(authorities, [dict(code=c, name_zh=zh, name_en=en, authority_zh=azh, authority_en=aen,
                                      accepts_complaints=True) for c, zh, en, azh, aen in AUTHORITIES])
    op.bulk_insert(clock_policies, [dict(name=n, length=ln, unit=u, start_event=s, stop_event=e,
                                         legal_source=src, owed_by=o) for n, ln, u, s, e, src, o in CLOCKS])


def downgrade():
    op.execute(clock_policies.delete())
    op.execute(authorities.delete())
