from urllib.parse import quote, unquote

from django.urls import path, register_converter

from . import views


class FolderConverter:
    """An IMAP folder name as one percent-encoded path segment (`Work%2FProjects`)."""

    regex = "[^/]+"

    def to_python(self, value: str) -> str:
        return unquote(value)

    def to_url(self, value: str) -> str:
        return quote(value, safe="")


register_converter(FolderConverter, "folder")

app_name = "mailview"
urlpatterns = [
    path("", views.home, name="home"),
    path("<folder:folder>/", views.message_list, name="message_list"),
]
