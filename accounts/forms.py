from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.identities import IdentityInput, identity_check
from mailview.services.compose.headers import InvalidHeaderInput

from .services import InvalidAddress, canonical_address


class SignInForm(forms.Form):
    email = forms.CharField(
        label=_("Email address"),
        max_length=320,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True, "inputmode": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        max_length=1024,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def clean_email(self) -> str:
        """The address in its canonical spelling (see `canonical_address`), or a clear error."""
        try:
            return canonical_address(self.cleaned_data["email"])
        except InvalidAddress as exc:
            if exc.reason == InvalidAddress.NOT_ASCII:
                raise forms.ValidationError(
                    _(
                        "This address cannot be used to sign in: the mail server only takes addresses without accents "
                        "or other non-Latin letters before the @."
                    ),
                    code="not_ascii",
                ) from None
            raise forms.ValidationError(_("Enter your full mail address, like name@example.com."), code="invalid") from None


class IdentityForm(forms.Form):
    name = forms.CharField(label=_("Display name"), max_length=200, required=False, strip=False)
    email = forms.CharField(label=_("Email address"), max_length=320, widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}))
    reply_to = forms.CharField(
        label=_("Reply-to address (optional)"), max_length=320, required=False, widget=forms.EmailInput(attrs={"inputmode": "email"})
    )
    signature = forms.CharField(label=_("Signature"), required=False, strip=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 4}))
    is_default = forms.BooleanField(label=_("Use by default"), required=False)

    def __init__(self, *args: object, user: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if self.errors:
            return data
        try:
            checked = identity_check(
                user=self.user,  # type: ignore[arg-type]
                data=IdentityInput(
                    name=data.get("name", "") or "", email=data.get("email", "") or "", reply_to=data.get("reply_to", "") or "",
                    signature=data.get("signature", "") or "", is_default=bool(data.get("is_default")),
                ),
            )
        except InvalidHeaderInput as exc:
            raise forms.ValidationError(exc.message) from exc
        self.checked = checked
        return data

    def identity_input(self) -> IdentityInput:
        return self.checked
