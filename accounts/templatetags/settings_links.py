"""The settings index links pages that other parts of the app may or may not have yet
(the address book, import and export): a link is shown only when its URL resolves."""
from __future__ import annotations

from django import template
from django.urls import Resolver404, resolve

register = template.Library()


@register.filter
def resolves(path: str) -> bool:
    """Whether the app serves `path` (a stable URL such as "/contacts/")."""
    try:
        resolve(path)
    except Resolver404:
        return False
    return True
