"""The government's yearly changes to the working calendar: swapped days off and make-up working days."""

from django.db import models


class DayKind(models.TextChoices):
    DAY_OFF = "nghi", "Ngày nghỉ"
    WORKING = "lam_viec", "Ngày làm việc (làm bù)"


class DayException(models.Model):
    """One day whose status the government's announcement sets, overriding the weekend and the
    public holidays of the `holidays` package (calendars.workdays)."""

    day = models.DateField("ngày", unique=True)
    kind = models.CharField("loại", max_length=10, choices=DayKind.choices)
    note = models.CharField("ghi chú", max_length=255, blank=True)
    source = models.CharField("căn cứ", max_length=255, blank=True,
                              help_text="Văn bản công bố, ví dụ Thông báo 6150/TB-BLĐTBXH.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["day"]
        verbose_name = "ngày nghỉ/làm bù"
        verbose_name_plural = "ngày nghỉ/làm bù"

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} — {self.get_kind_display()}"
