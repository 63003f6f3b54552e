"""Vietnamese labels of audit actions, for the audit page and its filter."""

ACTION_LABELS = {
    "orgs.unit.created": "Thành lập tổ chức",
    "orgs.unit.renamed": "Đổi tên tổ chức",
    "orgs.unit.moved": "Chuyển tổ chức sang cấp trên khác",
    "orgs.unit.closed": "Giải thể / kết thúc hoạt động",
    "orgs.unit.merged": "Hợp nhất tổ chức",
    "orgs.unit.split": "Chia tách tổ chức",
    "access.grant.created": "Cấp quyền",
    "access.grant.revoked": "Thu hồi quyền",
    "members.member.created": "Thêm đảng viên",
    "members.member.updated": "Sửa hồ sơ đảng viên",
}
