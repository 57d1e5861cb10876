from django import forms
from django.utils.translation import gettext_lazy as _

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
                    _("This address cannot be used to sign in: the mail server only takes addresses without accents or other non-Latin letters before the @."),
                    code="not_ascii",
                ) from None
            raise forms.ValidationError(_("Enter your full mail address, like name@example.com."), code="invalid") from None
