from datetime import date, timedelta

from members.rules import badge_day, check_cccd, next_badge, party_age, probation_overdue, remaining


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


def test_the_time_left_to_the_next_badge_is_not_rounded_up():
    # 25 years 10 months 19 days on 20/5/2026: 30 years on 01/7/2030, 4 years 1 month 11 days away
    # (a difference of whole months would say 4 years 2 months).
    intervals = [(date(2000, 7, 1), None)]
    on = date(2026, 5, 20)
    assert next_badge(party_age(intervals, on)) == 30
    assert badge_day(intervals, on, 30) == date(2030, 7, 1)
    assert remaining(on, date(2030, 7, 1)) == "4 năm 1 tháng 11 ngày"
    assert remaining(date(2026, 6, 1), date(2030, 7, 1)) == "4 năm 1 tháng"


def test_an_unbroken_membership_reaches_its_badge_on_the_anniversary_not_the_day_before():
    # 31/10/2031 is 359 months and 30 days after 01/11/2001: no month is carried for one interval.
    intervals = [(date(2001, 11, 1), None)]
    assert party_age(intervals, date(2031, 10, 31)).total_months == 359
    assert badge_day(intervals, date(2026, 12, 4), 30) == date(2031, 11, 1)
    assert remaining(date(2026, 12, 4), date(2031, 11, 1)) == "4 năm 10 tháng 28 ngày"


def test_the_badge_day_skips_the_years_outside_the_party():
    intervals = [(date(1990, 7, 26), date(1996, 1, 1)), (date(1999, 7, 1), None)]
    day = badge_day(intervals, date(2026, 1, 1), 40)  # 31 years 11 months on 01/01/2026
    assert party_age(intervals, day).total_months == 480
    assert party_age(intervals, day - timedelta(days=1)).total_months < 480


def test_no_badge_day_for_a_membership_that_has_ended():
    assert badge_day([(date(1990, 1, 1), date(2000, 1, 1))], date(2026, 1, 1), 30) is None


def test_probation_is_overdue_once_twelve_months_have_passed():
    assert not probation_overdue(date(2025, 3, 15), date(2026, 3, 14))
    assert probation_overdue(date(2025, 3, 15), date(2026, 3, 15))
    assert not probation_overdue(None, date(2026, 3, 15))


def test_cccd_checks_name_what_is_wrong():
    assert check_cccd("001080012345") is None
    assert "12 chữ số" in check_cccd("00108001234")
    assert "chỉ gồm chữ số" in check_cccd("00108001234A")
    assert "mã tỉnh" in check_cccd("999080012345")
    assert "năm sinh" in check_cccd("001080012345", birth_date=date(1981, 1, 1))
    assert "giới tính" in check_cccd("001080012345", birth_date=date(1980, 1, 1), female=True)
    assert check_cccd("001180012345", birth_date=date(1980, 1, 1), female=True) is None
