from datetime import date

from django import forms

from core.forms import VnDateField


class DateForm(forms.Form):
    on = VnDateField(label="Ngày")


def test_a_date_is_taken_as_dd_mm_yyyy_and_as_iso():
    for typed in ("07/02/1990", "07-02-1990", "1990-02-07"):
        form = DateForm({"on": typed})
        assert form.is_valid(), (typed, form.errors)
        assert form.cleaned_data["on"] == date(1990, 2, 7)


def test_a_wrong_date_says_how_to_write_it():
    form = DateForm({"on": "1990-02-30"})
    assert not form.is_valid()
    assert "ngày/tháng/năm" in form.errors["on"][0]


def test_the_placeholder_is_vietnamese():
    html = str(DateForm()["on"])
    assert 'placeholder="ngày/tháng/năm"' in html
    assert "dd/mm" not in html
