from ninja import Router

router = Router(tags=["Kết nạp đảng viên"])
