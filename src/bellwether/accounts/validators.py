from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from bellwether.accounts import password_rules


class MaximumLengthValidator:
    """Long passphrases are welcome (ASVS asks for 64+); only absurd lengths are refused."""

    def __init__(self, max_length: int = 1024) -> None:
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(
                f"This password is too long: use at most {self.max_length} characters.",
                code="password_too_long",
            )

    def get_help_text(self) -> str:
        return f"Your password can be up to {self.max_length} characters long; passphrases are welcome."


APP_NAME = "bellwether"
STRONGER = "Add something less predictable: a few unrelated words make a strong passphrase."


class PredictablePasswordValidator:
    """Refuses what attackers try before any dictionary: digits only, keyboard and
    alphabet runs, repeats, and the names around the account (the application, the
    user's organisations, their email address). Django's CommonPasswordValidator stays
    on beside this for the 20,000 most common passwords."""

    def __init__(self, max_length: int = 1024) -> None:
        # Longer passwords are MaximumLengthValidator's to refuse; not worth reading.
        self.max_length = max_length

    def validate(self, password: str, user: Any = None) -> None:
        if len(password) > self.max_length:
            return
        if password_rules.only_digits(password):
            raise ValidationError(
                f"This password is only digits. {STRONGER}", code="password_only_digits"
            )
        errors: list[ValidationError] = []
        shape = password_rules.predictability(password)
        # Too short a password is MinimumLengthValidator's to refuse; these rules judge
        # how much of it is predictable.
        too_predictable = shape.unpredictable < password_rules.MIN_UNPREDICTABLE
        if password_rules.repeats_itself(password) or (
            too_predictable and shape.in_repeats > shape.in_runs
        ):
            errors.append(
                ValidationError(
                    "This password repeats the same character, pattern or word "
                    f"(like aaaa, abab or hellohello). {STRONGER}",
                    code="password_repeats",
                )
            )
        elif too_predictable and shape.in_runs:
            errors.append(
                ValidationError(
                    "Too much of this password is a run of keys, letters or digits "
                    f"(like qwerty, abcdef or 123456). {STRONGER}",
                    code="password_sequence",
                )
            )
        for term, whose in self._names(user):
            found = password_rules.contained_term(password, term)
            if found is not None:
                errors.append(
                    ValidationError(
                        f"This password contains “{found}”, {whose}. Choose one without it.",
                        code="password_contains_name",
                    )
                )
        if errors:
            raise ValidationError(errors)

    def _names(self, user: Any) -> list[tuple[list[str], str]]:
        names = [(password_rules.name_terms(APP_NAME), "the name of this application")]
        email = str(getattr(user, "email", "") or "")
        local = email.partition("@")[0]
        if local:
            names.append((password_rules.name_terms(local), "from your email address"))
        if user is not None and getattr(user, "pk", None) is not None:
            from bellwether.accounts.models import Membership

            for name, slug in Membership.objects.filter(user_id=user.pk).values_list(
                "organisation__name", "organisation__slug"
            ):
                terms = password_rules.name_terms(name) + password_rules.name_terms(
                    slug, whole_only=True
                )
                names.append((terms, "the name of your organisation"))
        return names

    def get_help_text(self) -> str:
        return (
            "Your password can't be only digits, a run of keys or letters (123456, qwerty, "
            "abcdef), a repeated pattern, or contain your organisation's name, this "
            "application's name or your email address."
        )
