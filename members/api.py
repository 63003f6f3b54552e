from ninja import Router

router = Router(tags=["Đảng viên"])
