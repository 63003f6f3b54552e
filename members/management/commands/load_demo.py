from django.core.management.base import BaseCommand

from core import hooks
from members.demo import DEMO_PASSWORD, USERS, demo_exists, load_demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu (tỉnh Sơn Nam) một lần; chạy lại không làm gì."

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write("Dữ liệu mẫu đã có sẵn.")
        else:
            result = load_demo()
            self.stdout.write(f"Đã nạp dữ liệu mẫu: {result['members']} đảng viên.")
        for load in hooks.providers("demo"):  # the higher apps' parts (bodies); each skips what it has
            load()
        self.stdout.write(f"\nTài khoản mẫu (mật khẩu: {DEMO_PASSWORD}):")
        for username, display, _key, _role in USERS:
            self.stdout.write(f"  {username:<10} {display}")
