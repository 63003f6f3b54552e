from core.text import fold, name_sort_key, vn_number


def test_fold_removes_tones_and_marks_and_folds_d():
    assert fold("Nguyễn Văn Đức") == "nguyen van duc"
    assert fold("  ĐẶNG   thị  Ánh ") == "dang thi anh"


def test_given_names_sort_the_vietnamese_way_whatever_the_family_names():
    names = ["Trần Văn Đức", "Lê Thị Hà", "Nguyễn Văn Bình", "Phạm Thị Chi", "Vũ Ngọc Ánh", "Đỗ Văn An"]
    ordered = sorted(names, key=name_sort_key)
    assert [n.split()[-1] for n in ordered] == ["An", "Ánh", "Bình", "Chi", "Đức", "Hà"]


def test_letters_with_marks_are_letters_of_their_own():
    # a < ă < â, d < đ, o < ô < ơ, u < ư: "Âu" comes after "Ăn" which comes after "Az"
    given = ["Âu", "Ăn", "Az", "Đa", "Dy", "Ơn", "Ôn", "On", "Ưu", "Uy"]
    ordered = sorted((f"Nguyễn {g}" for g in given), key=name_sort_key)
    assert [n.split()[-1] for n in ordered] == ["Az", "Ăn", "Âu", "Dy", "Đa", "On", "Ôn", "Ơn", "Uy", "Ưu"]


def test_tones_only_break_ties_in_dictionary_order():
    given = ["Mạ", "Má", "Mã", "Mả", "Mà", "Ma"]
    ordered = sorted((f"Lê {g}" for g in given), key=name_sort_key)
    assert [n.split()[-1] for n in ordered] == ["Ma", "Mà", "Mả", "Mã", "Má", "Mạ"]
    assert name_sort_key("Lê Mạ") < name_sort_key("Lê Mai")


def test_same_given_name_sorts_by_middle_then_family_name():
    names = ["Trần Văn An", "Nguyễn Văn An", "Nguyễn Thị An"]
    assert sorted(names, key=name_sort_key) == ["Nguyễn Thị An", "Nguyễn Văn An", "Trần Văn An"]


def test_numbers_are_written_the_vietnamese_way():
    assert vn_number(60137) == "60.137"
    assert vn_number(3.756, 2) == "3,76"
