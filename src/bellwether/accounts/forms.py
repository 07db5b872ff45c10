"""Forms parse and check the shape of input; the services decide what is allowed."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html

from bellwether.accounts import tokens
from bellwether.accounts.models import TokenScope
from bellwether.accounts.roles import ROLE_CHOICES

# Long enough for any passphrase we accept (the validator allows 1024), short enough
# that nobody can make the server hash megabytes.
PASSWORD_FIELD_MAX = 4096


class BaseForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)


class PasswordSignInForm(BaseForm):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )
    password = forms.CharField(
        label="Password",
        max_length=PASSWORD_FIELD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class SignInLinkRequestForm(BaseForm):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Two email fields on one page need different ids.
        self.auto_id = "link_%s"


class SignInCodeForm(BaseForm):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    code = forms.CharField(
        label="6-digit code",
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
            }
        ),
    )


class ChangePasswordForm(BaseForm):
    old_password = forms.CharField(
        label="Current password",
        required=False,
        max_length=PASSWORD_FIELD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password1 = forms.CharField(
        label="New password",
        max_length=PASSWORD_FIELD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validators_help_text_html(),
    )
    new_password2 = forms.CharField(
        label="New password again",
        max_length=PASSWORD_FIELD_MAX,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, has_password: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_password:
            # Someone who only ever signed in by link has no current password to give.
            del self.fields["old_password"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        first, second = cleaned.get("new_password1"), cleaned.get("new_password2")
        if first and second and first != second:
            self.add_error("new_password2", "The two new passwords are not the same.")
        return cleaned


TOKEN_LIFETIMES = [
    (7, "7 days"),
    (30, "30 days"),
    (90, "90 days"),
    (180, "180 days"),
    (365, "1 year"),
]


class ApiTokenForm(BaseForm):
    name = forms.CharField(
        label="Token name",
        max_length=100,
        help_text="What will use it, for example “HR sync script”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    scope = forms.ChoiceField(
        label="Access",
        choices=[
            (TokenScope.READ.value, "Read only: it can look things up but change nothing"),
            (TokenScope.READ_WRITE.value, "Read and write: it can change what your roles allow"),
        ],
        initial=TokenScope.READ.value,
        widget=forms.RadioSelect,
    )
    expires_in_days = forms.TypedChoiceField(
        label="Expires after",
        choices=TOKEN_LIFETIMES,
        coerce=int,
        initial=tokens.DEFAULT_LIFETIME_DAYS,
        help_text="A token stops working when it expires; create a new one then.",
    )


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("choices", ROLE_CHOICES)
        kwargs.setdefault("label", "Roles")
        kwargs.setdefault("error_messages", {"required": "Choose at least one role."})
        super().__init__(**kwargs)


class AddMemberForm(BaseForm):
    email = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    roles = RolesField()
    employee_id = forms.CharField(
        label="Employee id (optional)",
        required=False,
        max_length=64,
        help_text="Links the account to their record in People, so they see their own reports.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class MemberRolesForm(BaseForm):
    roles = RolesField()
