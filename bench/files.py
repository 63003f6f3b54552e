"""The generated party as the three CSV files of the national migration (`members.migration`).

`python -m bench generate --scale national|province|small --out DIR` writes `to_chuc.csv`,
`dang_vien.csv` and `su_kien.csv` (docs/migration.md) from `bench.generate`, deterministically from
the seed; `manage.py import_national DIR` then loads them. Rows are streamed: memory stays small
at 6.6 million members (5.6 million current, 1 million former).
"""

import argparse
import csv
from datetime import date, timedelta
from pathlib import Path
from time import perf_counter

from bench import generate
from members import rules
from members.choices import Degree, EventKind, Gender, Status
from members.migration.files import EVENT_COLUMNS, EVENTS_FILE, MEMBER_CODE, MEMBERS_FILE, UNIT_COLUMNS, UNITS_FILE
from orgs.models import Kind

SCALES = {"national": generate.NATIONAL_MEMBERS, "province": generate.NATIONAL_MEMBERS // 40,
          "small": generate.NATIONAL_MEMBERS // 100}
MEMBER_HEADERS = [MEMBER_CODE, "Họ và tên", "Giới tính", "Ngày sinh", "Quê quán", "Dân tộc", "Tôn giáo", "Số CCCD",
                  "Điện thoại", "Giáo dục phổ thông", "Học vị", "Lý luận chính trị", "Nghề nghiệp", "Mã chi bộ",
                  "Trạng thái", "Ngày vào Đảng", "Ngày chính thức", "Số thẻ đảng viên",
                  "Số văn bản đồng ý kết nạp trên 60 tuổi", "Ngày văn bản đồng ý kết nạp trên 60 tuổi"]
CONSENT_BEFORE = timedelta(days=20)  # the provincial consent to an admission over 60 comes before the decision
KIND_LABEL = {k.value: str(k.label) for k in Kind}
STATUS_LABEL = {s.value: str(s.label) for s in Status}
EVENT_LABEL = {e.value: str(e.label) for e in EventKind}
GENDER_LABEL = {g.value: str(g.label) for g in Gender}
assert str(Degree.BACHELOR.label) == "Cử nhân/Kỹ sư"  # the generator writes the labels


def dmy(d: date | None) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}" if d else ""


def write_files(folder: Path, members: int, seed: int) -> dict:
    """Write the three files into `folder`; returns counts and timings."""
    t = perf_counter()
    folder.mkdir(parents=True, exist_ok=True)
    units = generate.build_tree(members, seed)
    by_id = {u.id: u for u in units}
    with open(folder / UNITS_FILE, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f)
        out.writerow(list(UNIT_COLUMNS))
        for u in units:
            parent = by_id[u.parent_id].code if u.parent_id else ""
            out.writerow([u.code, parent, u.name, u.short_name, KIND_LABEL[u.kind], u.issuer_abbr,
                          "có" if u.is_grassroots else "không", dmy(u.valid_from), ""])
    n_members = n_events = 0
    with (open(folder / MEMBERS_FILE, "w", encoding="utf-8", newline="") as fm,
          open(folder / EVENTS_FILE, "w", encoding="utf-8", newline="") as fe):
        members_out, events_out = csv.writer(fm), csv.writer(fe)
        members_out.writerow(MEMBER_HEADERS)
        events_out.writerow(list(EVENT_COLUMNS))
        for r in generate.member_rows(units, seed):
            members_out.writerow([
                r.id, r.full_name, GENDER_LABEL[r.gender], dmy(r.birth_date), r.hometown, r.ethnicity, r.religion,
                r.citizen_id, r.phone, r.general_education, r.degree, r.political_theory, r.occupation, r.unit_code,
                STATUS_LABEL[r.status], dmy(r.admitted_on), dmy(r.recognized_on), r.party_card_number,
                *_consent(r)])
            n_members += 1
            for kind, on, unit_code in sorted(r.events, key=lambda e: e[1]):
                events_out.writerow([r.id, EVENT_LABEL[kind], dmy(on), unit_code, "", "", ""])
                n_events += 1
    return {"units": len(units), "members": n_members, "events": n_events, "seconds": round(perf_counter() - t, 1)}


def _consent(r: generate.MemberRow) -> list[str]:
    if not rules.over_admission_age(r.birth_date, r.admitted_on):
        return ["", ""]
    return [f"{r.id % 900 + 1}-CV/TU", dmy(r.admitted_on - CONSENT_BEFORE)]


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m bench generate", description=__doc__.splitlines()[0])
    p.add_argument("--scale", choices=list(SCALES), default="small")
    p.add_argument("--members", type=int, help="current members (overrides --scale)")
    p.add_argument("--seed", type=int, default=2026)
    p.add_argument("--out", type=Path, required=True)
    args = p.parse_args(argv)
    stats = write_files(args.out, args.members or SCALES[args.scale], args.seed)
    print(f"{stats['units']:,} units, {stats['members']:,} members, {stats['events']:,} events in "
          f"{stats['seconds']} s: {args.out}")

