"""The front end's single sources: colours only in the palette, the body frame styled from
it, and no app path written in a template or a script."""
from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

from django.template.loader import render_to_string
from django.urls import resolve

from mailview.templatetags.mail_styles import BODY_HEIGHT_SCRIPT
from mailview.templatetags.mail_urls import URL_ID, script_urls

ROOT = Path(__file__).resolve().parents[2]
PALETTE = ROOT / "static" / "css" / "palette.css"
COLOUR = re.compile(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(")


def without_comments(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def words(css: str) -> str:
    return " ".join(css.split())


def test_colours_are_written_only_in_the_palette():
    sources = [*(ROOT / "static" / "css").glob("*.css"), *(ROOT / "templates").rglob("*.html")]
    assert PALETTE in sources and len(sources) > 10
    found = {
        str(path.relative_to(ROOT)): COLOUR.findall(without_comments(path.read_text()))
        for path in sources
        if path != PALETTE
    }
    assert {path: colours for path, colours in found.items() if colours} == {}


def test_every_variable_a_stylesheet_uses_is_in_the_palette():
    palette = set(re.findall(r"(--[\w-]+)\s*:", PALETTE.read_text()))
    for path in (ROOT / "static" / "css").glob("*.css"):
        used = set(re.findall(r"var\((--[\w-]+)\)", path.read_text()))
        assert used <= palette, (path.name, used - palette)


def body_document(*, is_html: bool) -> str:
    return render_to_string("mailview/message_body.html", {"body": SimpleNamespace(html="<p>Hi <a href='https://example.org/'>there</a></p>", is_html=is_html)})


def test_the_body_frame_takes_its_colours_from_the_palette():
    palette = words(without_comments(PALETTE.read_text()))
    for is_html in (True, False):
        document = body_document(is_html=is_html)
        style = words(re.search(r"<style>(.*?)</style>", document, re.S).group(1))
        # The palette itself, inlined (the frame's CSP allows no stylesheet URL), and then
        # only styles that use its variables.
        assert palette in style
        assert COLOUR.findall(style.replace(palette, "")) == []
        assert "var(--fg)" in style and "var(--bg)" in style
        assert "<link" not in document
        # One script: the height reporter its CSP allows by hash (nothing of the mail's).
        assert re.findall(r"<script>(.*?)</script>", document, re.S) == [BODY_HEIGHT_SCRIPT] and document.count("<script") == 1
    # HTML mail is written for white paper: its document stays light in dark mode.
    assert body_document(is_html=True).startswith('<!doctype html>\n<html class="light">')
    assert body_document(is_html=False).startswith("<!doctype html>\n<html>")


APP_PATH = re.compile(r"""["'`]/(?:mail|actions|folders|accounts|admin)/""")


def test_templates_and_scripts_write_no_app_path():
    sources = [*(ROOT / "static" / "js").glob("*.js"), *(ROOT / "templates").rglob("*.html")]
    found = {str(p.relative_to(ROOT)): APP_PATH.findall(p.read_text()) for p in sources}
    assert {path: hits for path, hits in found.items() if hits} == {}


def test_the_scripts_url_map_resolves_to_the_views_they_call():
    urls = script_urls()
    named = {name: resolve(url.replace(URL_ID, "a1b2")) for name, url in urls.items()}
    assert {name: match.view_name for name, match in named.items()} == {
        "actions": "mailview_actions:create",
        "actionStatus": "mailview_actions:status",
        "actionUndo": "mailview_actions:undo",
        "folderTree": "mailview_folders:folder_tree",
        "folderState": "mailview_folders:folder_state",
        "compose": "mailview:compose",
    }
    assert named["actionUndo"].kwargs == {"action_id": "a1b2"}
    # Every name a script asks for is in the map.
    asked = {name for path in (ROOT / "static" / "js").glob("*.js") for name in re.findall(r"""\burl\("(\w+)\"""", path.read_text())}
    assert asked and asked <= set(urls), asked - set(urls)
    assert json.loads(json.dumps(urls)) == urls
