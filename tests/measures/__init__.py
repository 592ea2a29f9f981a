"""Shared helpers for the measures tests: a small catalogue written to a temporary folder, and the seed data."""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

from django.core.management import call_command
from django.test import TestCase

from ita.models import Membership, Organization
from measures.catalogue import load_catalogue
from tests.factory import make_user

RECOMMENDATIONS = {
    "version": 1,
    "years": {
        "2566": {
            "i7": {"issue": "บุคลากรบางส่วนไม่ทราบแผนการใช้จ่ายงบประมาณ", "action": "ชี้แจงแผนการใช้จ่ายงบประมาณให้บุคลากรทราบ"},
            "e4": {"issue": "ผู้รับบริการบางรายถูกเรียกรับสิ่งของ", "action": "ประกาศนโยบายไม่รับของขวัญ"},
        },
        "2567": {"e8": {"issue": "ไม่ทราบช่องทางติชม", "action": "เผยแพร่ช่องทางรับฟังความคิดเห็น"}},
        "2568": {
            "e9": {"issue": "ผู้รับบริการไม่เคยใช้บริการออนไลน์", "action": "พัฒนาและประชาสัมพันธ์บริการออนไลน์"},
            "o27": {"issue": "มาตรการที่เผยแพร่ยังไม่ครบถ้วน", "action": "เผยแพร่มาตรการพร้อมผลการวิเคราะห์ให้ครบ"},
        },
        "2599": {"i1": {"issue": "ปีที่ไม่มีในระบบ", "action": "ข้าม"}},
    },
}
INDICATOR_TEXTS = {
    "version": 1,
    "indicators": {
        str(n): {
            "measures": f"ตัวชี้วัดนี้วัดเรื่องที่ {n}",
            "strength": "ได้ {score} คะแนน ถึงเกณฑ์ {threshold} ควรรักษาระดับ",
            "weakness": "ได้ {score} คะแนน ต่ำกว่าเกณฑ์ {threshold} ต้องพัฒนา",
        }
        for n in range(1, 11)
    },
}
MEASURES = {
    "version": 1,
    "measures": [
        {
            "key": "asset-manual",
            "title": "จัดทำคู่มือการยืมและใช้ทรัพย์สินของราชการ",
            "steps": ["จัดทำคู่มือ", "แจ้งเวียนบุคลากร"],
            "responsible": "กองคลัง",
            "period": {"kind": "months", "start": 1, "end": 3},
            "monitoring": "รายงานผลภายในเดือนเมษายน",
            "indicators": [4],
            "items": {"2566": ["i20", "i23"], "2568": ["i10"]},
        },
        {
            "key": "e-service",
            "title": "พัฒนาและประชาสัมพันธ์บริการออนไลน์ (E-Service)",
            "steps": ["เปิดบริการออนไลน์", "ประชาสัมพันธ์ช่องทาง"],
            "responsible": "สำนักปลัด",
            "period": {"kind": "whole_year"},
            "monitoring": "สรุปสถิติการใช้บริการทุกไตรมาส",
            "indicators": [8],
            "items": {"2568": ["e9", "o10"]},
        },
        {
            "key": "budget-briefing",
            "title": "ชี้แจงแผนการใช้จ่ายงบประมาณประจำปี",
            "steps": ["ประชุมชี้แจง"],
            "responsible": "กองคลัง",
            "period": {"kind": "months", "start": 10, "end": 12},
            "monitoring": "รายงานผลการประชุม",
            "indicators": [2],
            "items": {"2566": ["i7"]},
        },
        {
            "key": "unrelated",
            "title": "มาตรการที่ไม่ตรงกับจุดอ่อนใด",
            "steps": ["ทำบางอย่าง"],
            "responsible": "กองช่าง",
            "indicators": [9],
            "items": {},
        },
    ],
}


def write_catalogue(directory: Path, *, recommendations=None, texts=None, measures=None) -> Path:
    """Write the three catalogue files (the small test versions unless given) into `directory`."""
    files = {
        "recommendations.json": recommendations or RECOMMENDATIONS,
        "indicator_texts.json": texts or INDICATOR_TEXTS,
        "measures.json": measures or MEASURES,
    }
    for name, data in files.items():
        (directory / name).write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return directory


SEED_CODES = {
    "nonglaeng": "DEMO-NONGLAENG",
    "maesai": "DEMO-MAESAIMITTRAPHAP",
    "lohjud": "DEMO-LOHJUD",
    "khuansaothong": "DEMO-KHUANSAOTHONG",
}


class SeedTestCase(TestCase):
    """The demo frameworks, organisations and scores, the small catalogue, and a cast for Mae Sai Mittraphap.

    alice is staff of Mae Sai, bob its executive, charlie staff of Nong Laeng, dave executive of Nong Laeng.
    """

    @classmethod
    def setUpTestData(cls):
        call_command("seed_demo", "--no-users", "--no-catalogue", verbosity=0, stdout=io.StringIO())
        with tempfile.TemporaryDirectory() as folder:
            load_catalogue(write_catalogue(Path(folder)))
        cls.orgs = {name: Organization.objects.get(code=code) for name, code in SEED_CODES.items()}
        cls.maesai = cls.orgs["maesai"]
        cls.alice = make_user("alice", organization=cls.maesai, role=Membership.Role.STAFF)
        cls.bob = make_user("bob", organization=cls.maesai, role=Membership.Role.EXECUTIVE)
        cls.charlie = make_user("charlie", organization=cls.orgs["nonglaeng"], role=Membership.Role.STAFF)
        cls.dave = make_user("dave", organization=cls.orgs["nonglaeng"], role=Membership.Role.EXECUTIVE)
