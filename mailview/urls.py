from urllib.parse import quote, unquote

from django.urls import include, path, register_converter

from . import views


class FolderConverter:
    """An IMAP folder name as one percent-encoded path segment (`Work%2FProjects`)."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        return quote(value, safe="")


class SectionConverter:
    regex = r"[0-9]+(?:\.[0-9]+)*(?:\.TEXT)?|TEXT"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FolderConverter, "folder")
register_converter(SectionConverter, "section")

app_name = "mailview"
urlpatterns = [
    path("", views.home, name="home"),
    # Before the folder routes: "compose" is not a folder here.
    path("compose/", include("mailview.compose_urls")),
    path("<folder:folder>/", views.message_list, name="message_list"),
    path("<folder:folder>/<int:uid>/", views.message_detail, name="message_detail"),
    path("<folder:folder>/<int:uid>/body/", views.message_body_document, name="message_body"),
    path("<folder:folder>/<int:uid>/raw/", views.message_raw, name="message_raw"),
    path("<folder:folder>/<int:uid>/part/<section:section>/", views.message_part, name="message_part"),
    path("<folder:folder>/<int:uid>/trust-sender/", views.trust_sender, name="trust_sender"),
    path("<folder:folder>/<int:uid>/previous/", views.message_step, {"step": -1}, name="message_previous"),
    path("<folder:folder>/<int:uid>/next/", views.message_step, {"step": 1}, name="message_next"),
]
