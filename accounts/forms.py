from django import forms
from django.utils.translation import gettext_lazy as _


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
