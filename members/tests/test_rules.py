from datetime import date

from members.rules import check_cccd, next_badge, party_age


def test_party_age_of_a_readmitted_member_skips_the_time_outside():
    # admitted by decision of 26/7/2015, struck off on 01/01/2016, re-admitted on 01/7/2019
    intervals = [(date(2015, 7, 26), date(2016, 1, 1)), (date(2019, 7, 1), None)]
    age = party_age(intervals, on=date(2026, 11, 23))
    assert (age.years, age.months) == (7, 9)
    assert str(age) == "7 năm 9 tháng"


def test_party_age_counts_from_the_admission_decision_not_recognition():
    age = party_age([(date(2015, 7, 26), None)], on=date(2016, 7, 26))
    assert age.total_months == 12


def test_party_age_before_admission_is_zero():
    assert party_age([(date(2020, 1, 1), None)], on=date(2019, 1, 1)).total_months == 0
    assert str(party_age([], on=date(2019, 1, 1))) == "chưa có"


def test_next_badge_milestone():
    assert next_badge(party_age([(date(1990, 1, 1), None)], on=date(2026, 1, 1))) == 40
    assert next_badge(party_age([(date(1930, 1, 1), None)], on=date(2026, 1, 1))) is None


def test_cccd_checks_name_what_is_wrong():
    assert check_cccd("001080012345") is None
    assert "12 chữ số" in check_cccd("00108001234")
    assert "chỉ gồm chữ số" in check_cccd("00108001234A")
    assert "mã tỉnh" in check_cccd("999080012345")
    assert "năm sinh" in check_cccd("001080012345", birth_date=date(1981, 1, 1))
    assert "giới tính" in check_cccd("001080012345", birth_date=date(1980, 1, 1), female=True)
    assert check_cccd("001180012345", birth_date=date(1980, 1, 1), female=True) is None
