"""Kinds of party documents, their abbreviations and how they are numbered (rules.md §6; rules-2026.md §7).

HD 05-HD/VPTW (27/5/2026, under 399-QĐ/TW) is the current list; the older 36-HD/VPTW (2018) abbreviations are
kept for documents issued before it (QĐi for Quy định, CT, TT, HD, CTHĐ, BS). Under HD 05 "QĐ" stands for both
Quyết định and Quy định, so the kind's name is stored beside the symbol. Giấy giới thiệu and giấy mời have no
abbreviation in HD 05: GGT and GM are the drafting guide's assumption (rules-2026.md §7a: UNSURE), used until
the superior committee's practice says otherwise (override `DOCUMENT_TYPES` in RULES_OVERRIDES).
"""

from django.db import models

SOURCE = "HD 05-HD/VPTW (2026) và 36-HD/VPTW (2018); rules.md §6, rules-2026.md §7"


class DocType(models.TextChoices):
    NQ = "NQ", "Nghị quyết"
    QD = "QĐ", "Quyết định / Quy định"
    QDI = "QĐi", "Quy định (ký hiệu cũ)"
    CT = "CT", "Chỉ thị"
    KL = "KL", "Kết luận"
    QC = "QC", "Quy chế"
    TT = "TT", "Thông tri"
    HD = "HD", "Hướng dẫn"
    TB = "TB", "Thông báo"
    BC = "BC", "Báo cáo"
    KH = "KH", "Kế hoạch"
    CTR = "CTr", "Chương trình"
    CTHD = "CTHĐ", "Chương trình hành động"
    DA = "ĐA", "Đề án"
    PA = "PA", "Phương án"
    TTR = "TTr", "Tờ trình"
    CV = "CV", "Công văn"
    BB = "BB", "Biên bản"
    BS = "BS", "Bản sao"
    GGT = "GGT", "Giấy giới thiệu"
    GM = "GM", "Giấy mời"


# Kinds whose abbreviation is not in HD 05-HD/VPTW: the page marks them as assumed.
UNSURE_TYPES = {DocType.GGT, DocType.GM}

# Numbers below 10 are written with a leading zero ("Số 05-NQ/ĐU"; rules-2026.md §7a).
MIN_DIGITS = 2
