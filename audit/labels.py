"""How audit entries read on a page: Vietnamese labels of the actions (for the audit page and its
filter) and of the keys of their before/after, and the table of changes of one entry (on the audit
page and on a member's page).

`audit` imports only `core`: a page passes in the labels of coded values and the names of the
units its user may see, and a unit out of reach is never named.
"""

import re

ACTION_LABELS = {
    "orgs.unit.created": "Thành lập tổ chức",
    "orgs.unit.renamed": "Đổi tên tổ chức",
    "orgs.unit.moved": "Chuyển tổ chức sang cấp trên khác",
    "orgs.unit.closed": "Giải thể / kết thúc hoạt động",
    "orgs.unit.merged": "Hợp nhất tổ chức",
    "orgs.unit.split": "Chia tách tổ chức",
    "bodies.body.created": "Lập cơ quan của tổ chức",
    "bodies.body.ended": "Cơ quan kết thúc cùng tổ chức",
    "bodies.post.created": "Ghi chức vụ trong cơ quan",
    "bodies.post.ended": "Thôi giữ chức vụ",
    "bodies.term.created": "Ghi nhiệm kỳ",
    "bodies.congress.planned": "Dự kiến đại hội",
    "bodies.congress.held": "Ghi đại hội đã họp",
    "bodies.managed.created": "Đưa vào diện Ban Thường vụ quản lý",
    "documents.document.issued": "Cấp số và ban hành văn bản",
    "documents.document.registered": "Ghi văn bản vào sổ",
    "documents.document.changed": "Sửa trạng thái, hạn sơ kết, tổng kết của văn bản",
    "documents.dissemination.recorded": "Ghi việc quán triệt văn bản",
    "oversight.case.opened": "Mở cuộc kiểm tra, giám sát",
    "oversight.case.step": "Ghi bước của cuộc kiểm tra, giám sát",
    "oversight.case.concluded": "Kết luận cuộc kiểm tra, giám sát",
    "oversight.discipline.decided": "Quyết định kỷ luật",
    "oversight.discipline.appealed": "Khiếu nại quyết định kỷ luật",
    "oversight.discipline.appeal_settled": "Giải quyết khiếu nại kỷ luật",
    "oversight.discipline.repeated": "Ghi vi phạm mới sau kỷ luật",
    "oversight.petition.received": "Tiếp nhận đơn thư",
    "oversight.petition.closed": "Giải quyết xong đơn thư",
    "oversight.programme.created": "Lập chương trình kiểm tra, giám sát",
    "oversight.programme.item_added": "Thêm nội dung vào chương trình kiểm tra, giám sát",
    "oversight.programme.item_linked": "Gắn cuộc kiểm tra với nội dung chương trình",
    "oversight.state_notice.received": "Nhận thông báo của cơ quan nhà nước về đảng viên",
    # assessment.services / assessment.awards: the annual review, commendations, "Dân vận khéo" models
    "assessment.round.created": "Mở đợt đánh giá, xếp loại chất lượng",
    "assessment.round.published": "Công bố kết quả xếp loại",
    "assessment.rating.self_assessed": "Tự đánh giá, xếp loại",
    "assessment.rating.proposed": "Chi bộ / tập thể đề xuất mức xếp loại",
    "assessment.rating.decided": "Quyết định xếp loại chất lượng",
    "assessment.results.recorded": "Ghi kết quả xếp loại của cả đợt",
    "assessment.quota_exception.created": "Ghi nhận thành tích nổi trội (tỷ lệ xuất sắc 25%)",
    "assessment.commendation.created": "Ghi khen thưởng",
    "assessment.model.registered": "Đăng ký mô hình “Dân vận khéo”",
    "assessment.model.advanced": "Thẩm định, công nhận mô hình “Dân vận khéo”",
    "access.grant.created": "Cấp quyền",
    "access.grant.revoked": "Thu hồi quyền",
    # admission.services: a candidate's file and each step (admission.models.StepKind)
    "admission.candidate.created": "Đưa vào danh sách xem xét kết nạp",
    "admission.candidate.updated": "Sửa hồ sơ người xin vào Đảng",
    "admission.candidate.chi_bo": "Nghị quyết chi bộ đề nghị kết nạp",
    "admission.candidate.dang_uy_co_so": "Nghị quyết đảng ủy cơ sở đề nghị kết nạp",
    "admission.candidate.nhan_ho_so": "Cấp có thẩm quyền nhận hồ sơ đề nghị kết nạp",
    "admission.candidate.gia_han": "Gia hạn xem xét kết nạp",
    "admission.candidate.quyet_dinh": "Quyết định kết nạp",
    "admission.candidate.khong_ket_nap": "Không đồng ý kết nạp",
    "admission.candidate.le_ket_nap": "Lễ kết nạp",
    "admission.candidate.chi_bo_cn": "Nghị quyết chi bộ xét công nhận chính thức",
    "admission.candidate.dang_uy_co_so_cn": "Nghị quyết đảng ủy cơ sở xét công nhận chính thức",
    "admission.candidate.gia_han_cn": "Gia hạn xem xét công nhận chính thức",
    "admission.candidate.cong_nhan": "Quyết định công nhận đảng viên chính thức",
    "admission.candidate.xoa_ten": "Quyết định xóa tên khỏi danh sách đảng viên dự bị",
    "admission.candidate.dung": "Dừng xem xét kết nạp",
    "members.member.created": "Thêm đảng viên",
    "members.member.updated": "Sửa hồ sơ đảng viên",
    "members.member.relatives_updated": "Sửa quan hệ gia đình của đảng viên",
    "members.import.done": "Nhập đảng viên từ tệp",
    "members.badge.awarded": "Ghi nhận Huy hiệu Đảng",
    # One per member event kind (members.choices.EventKind), written by services.record_event.
    "members.member.ket_nap": "Kết nạp đảng viên",
    "members.member.cong_nhan": "Công nhận đảng viên chính thức",
    "members.member.chuyen_den": "Chuyển sinh hoạt chính thức đến",
    "members.member.chuyen_noi_bo": "Chuyển sinh hoạt trong đảng bộ",
    "members.member.chuyen_di": "Chuyển sinh hoạt chính thức đi",
    "members.member.tam_chuyen_di": "Chuyển sinh hoạt tạm thời đi",
    "members.member.tam_tro_ve": "Trở về sau sinh hoạt tạm thời",
    "members.member.mien_sinh_hoat": "Miễn sinh hoạt đảng",
    "members.member.tro_lai_sinh_hoat": "Trở lại sinh hoạt đảng",
    "members.member.xoa_ten": "Xóa tên đảng viên",
    "members.member.khai_tru": "Khai trừ đảng viên",
    "members.member.ra_khoi_dang": "Ra khỏi Đảng",
    "members.member.tu_tran": "Đảng viên từ trần",
    "members.member.ket_nap_lai": "Kết nạp lại",
    # transfers.services: the steps of a transfer of party activity.
    "transfers.transfer.started": "Cấp giấy giới thiệu chuyển sinh hoạt đảng",
    "transfers.transfer.presented": "Ghi ngày nộp giấy giới thiệu sinh hoạt đảng",
    "transfers.transfer.accepted": "Tiếp nhận đảng viên chuyển sinh hoạt đến",
    "transfers.transfer.refused": "Không tiếp nhận đảng viên chuyển sinh hoạt",
    "transfers.transfer.cancelled": "Hủy việc chuyển sinh hoạt đảng",
    "transfers.transfer.returned": "Đảng viên trở về sau sinh hoạt tạm thời",
    # members.privacy and members.collisions: sensitive personal data seen whole, and CCCD lookups.
    "members.sensitive.viewed": "Xem đầy đủ thông tin nhạy cảm của đảng viên",
    "members.sensitive.exported": "Xuất thông tin nhạy cảm của đảng viên ra Excel",
    "members.cccd.collision": "Nhập số CCCD đã có ở đơn vị khác",
}

# How the keys of `before`/`after` read on the page; None hides internal keys (paths, ids
# already shown by name).
FIELD_LABELS: dict[str, str | None] = {
    "name": "Tên",
    "short_name": "Tên ngắn",
    "full_name": "Họ và tên",
    "kind": "Loại tổ chức",
    "status": "Trạng thái",
    # transfers.Transfer.snapshot
    "transfer_kind": "Hình thức chuyển sinh hoạt",
    "from_unit_id": "Chuyển đi từ",
    "to_unit_id": "Chuyển đến",
    "to_outside": "Nơi đến ngoài hệ thống",
    "purpose": "Lý do chuyển sinh hoạt",
    "reason_on": "Ngày quyết định/chuyển nơi ở",
    "started_on": "Ngày giới thiệu",
    "present_due": "Hạn nộp giấy giới thiệu",
    "presented_on": "Ngày nộp giấy giới thiệu",
    "late_reason": "Lý do nộp chậm",
    "accepted_on": "Ngày tiếp nhận",
    "temp_from": "Sinh hoạt tạm thời từ",
    "temp_until": "Sinh hoạt tạm thời đến",
    "returned_on": "Ngày trở về",
    "closed_on": "Ngày không tiếp nhận/hủy",
    "closed_reason": "Lý do",
    "letter_symbol": "Số giấy giới thiệu",
    "gender": "Giới tính",
    "parent": "Trực thuộc",
    "unit": "Tổ chức",
    "valid_from": "Hoạt động từ ngày",
    "valid_to": "Hoạt động đến hết ngày",
    "merged_into": None,
    "merged_into_name": "Hợp nhất vào",
    "children_moved": "Tổ chức trực thuộc được chuyển",
    "members_moved": "Số đảng viên được chuyển",
    "new_units": "Tổ chức mới",
    "path": None,
    # the member profile (members.services.PROFILE_FIELDS and the derived state)
    "unit_id": "Chi bộ",
    "birth_name": "Họ và tên khai sinh",
    "alias": "Bí danh",
    "birth_date": "Ngày sinh",
    "birthplace": "Nơi sinh",
    "hometown": "Quê quán",
    "hometown_old": "Quê quán (địa danh cũ)",
    "permanent_address": "Nơi thường trú",
    "current_address": "Nơi ở hiện nay",
    "ethnicity": "Dân tộc",
    "religion": "Tôn giáo",
    "citizen_id": "Số CCCD",
    "phone": "Điện thoại",
    "email": "Thư điện tử",
    "general_education": "Giáo dục phổ thông",
    "professional_qualification": "Chuyên môn, nghiệp vụ",
    "degree": "Học vị",
    "academic_title": "Học hàm",
    "political_theory": "Lý luận chính trị",
    "state_management": "Quản lý nhà nước",
    "foreign_languages": "Ngoại ngữ",
    "occupation": "Nghề nghiệp",
    "workplace": "Nơi làm việc",
    "position": "Chức vụ chính quyền, đoàn thể",
    "party_card_number": "Số thẻ đảng viên",
    "admitted_on": "Ngày vào Đảng",
    "admission_place": "Nơi kết nạp",
    "recognized_on": "Ngày chính thức",
    "party_positions": "Chức vụ Đảng",
    "managed_by": "Diện quản lý",
    "notes": "Ghi chú",
    "is_excused": "Miễn sinh hoạt",
    "photo": "Ảnh",
    "relatives": "Quan hệ gia đình",
    # an import (members.importwrite.apply)
    "file": "Tệp",
    "created": "Số đảng viên mới",
    "updated": "Số đảng viên được cập nhật",
    "unchanged": "Số dòng không thay đổi",
    # a whole view or export, a CCCD collision (members.privacy, members.collisions)
    "fields": "Thông tin xem đầy đủ",
    "via": "Qua",
    "count": "Số đảng viên",
    "member_ids": "Mã hồ sơ đảng viên",
    "cccd": "Số CCCD đã nhập",
    "tried_unit": "Đơn vị đang nhập",
    "holder_unit": "Đơn vị có đảng viên mang số CCCD này",
    # admission (admission.services.snapshot and each step)
    "stage": "Bước",
    "due_on": "Hạn bước tiếp theo",
    "on": "Ngày",
    "votes_for": "Số tán thành",
    "eligible": "Số được biểu quyết",
    "passed": "Đạt hai phần ba",
    "number": "Số văn bản",
    "registered_on": "Ngày đưa vào danh sách",
    "certificate_on": "Ngày giấy chứng nhận bồi dưỡng",
    "application_on": "Ngày đơn xin vào Đảng",
    "cv_on": "Ngày lý lịch",
    "introduction_on": "Ngày giấy giới thiệu",
    "introducer_1": "Người giới thiệu thứ nhất",
    "introducer_2": "Người giới thiệu thứ hai",
}

# Keys whose values only users with the "sensitive" action may read (access.rules).
SENSITIVE_KEYS = {"citizen_id", "religion", "relatives", "cccd"}
# Keys whose values are unit ids, shown by name.
UNIT_KEYS = {"parent", "unit", "unit_id", "children_moved", "from_unit_id", "to_unit_id"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
OUT_OF_REACH = "một tổ chức ngoài phạm vi của bạn"
HIDDEN = "(ẩn)"
LIST_SHOWN = 30


def show(value, choices: dict[str, str]) -> str:
    """A before/after value as a reader expects it: dates dd/mm/yyyy, codes as their labels."""
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, list):
        if len(value) > LIST_SHOWN:  # an export's member ids: the count says the rest
            return ", ".join(show(v, choices) for v in value[:LIST_SHOWN]) + f"… ({len(value)})"
        return ", ".join(show(v, choices) for v in value)
    if isinstance(value, dict):
        return str(value.get("name") or ", ".join(f"{k}: {v}" for k, v in value.items()))
    if isinstance(value, str) and ISO_DATE.match(value):
        return f"{value[8:10]}/{value[5:7]}/{value[0:4]}"
    return str(choices.get(value, value)) if isinstance(value, str) else str(value)


def unit_ids(entries) -> set[int]:
    """The ids of the units that `entries` refer to in their before/after."""
    ids = set()
    for entry in entries:
        for side in (entry.before or {}, entry.after or {}):
            for key in UNIT_KEYS & set(side):
                ids.update(v for v in (side[key] if isinstance(side[key], list) else [side[key]])
                           if isinstance(v, int) and not isinstance(v, bool))
    return ids


def _unit_name(value, units: dict[int, str]):
    """A unit id (or a list of them) as names; a unit out of the user's reach is not named."""
    if isinstance(value, list):
        return [_unit_name(v, units) for v in value]
    if isinstance(value, int) and not isinstance(value, bool):
        return units.get(value, OUT_OF_REACH)
    return value


def readable_changes(entry, units: dict[int, str], choices: dict[str, str],
                     hide_sensitive: bool = False) -> list[tuple[str, str, str]]:
    """(label, before, after) for each field that changed, as a reader sees it.

    `units`: names of the units the reader may see, by id. `hide_sensitive`: the reader may not see
    CCCD, religion or family, so those rows say that they changed but not from what to what.
    """
    rows = []
    for key, before, after in entry.changes():
        label = FIELD_LABELS.get(key, key)
        if label is None:
            continue
        if key in UNIT_KEYS:
            before, after = _unit_name(before, units), _unit_name(after, units)
        shown = (label, show(before, choices), show(after, choices))
        if shown[1] == shown[2]:  # None → "" is no change to a reader
            continue
        if hide_sensitive and key in SENSITIVE_KEYS:
            shown = (label, HIDDEN, HIDDEN)
        rows.append(shown)
    return rows
