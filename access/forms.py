from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.password_validation import password_validators_help_texts


class LoginForm(auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "Sai tên đăng nhập hoặc mật khẩu. Lưu ý chữ hoa, chữ thường.",
        "inactive": "Tài khoản này đã bị khóa.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].widget = forms.TextInput(attrs={"autofocus": True, "autocomplete": "username",
                                                                "autocapitalize": "none"})


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    error_messages = {
        **auth_forms.PasswordChangeForm.error_messages,
        "password_incorrect": "Mật khẩu cũ không đúng. Hãy nhập lại.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django gives the rules as an HTML list, which cannot sit in the field's help paragraph.
        self.fields["new_password1"].help_text = " ".join(password_validators_help_texts())
