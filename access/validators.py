"""Password rules with their messages in Vietnamese (Django's own Vietnamese catalogue lacks this one)."""

from django.contrib.auth.password_validation import MinimumLengthValidator


class MinimumLength(MinimumLengthValidator):
    def get_error_message(self) -> str:
        return f"Mật khẩu quá ngắn: cần ít nhất {self.min_length} ký tự."

    def get_help_text(self) -> str:
        return f"Ít nhất {self.min_length} ký tự."
