"""URL helpers for folders.

Django's reverse() would quote the `%` of an encoded `/` a second time, so folder
URLs are built here, in one place.
"""
from urllib.parse import quote

from django import template

register = template.Library()


def folder_url(name: str) -> str:
    return f"/mail/{quote(name, safe='')}/"


register.simple_tag(folder_url, name="folder_url")
