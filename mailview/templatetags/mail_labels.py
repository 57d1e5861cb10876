"""The sidebar's labels: the person's kept list (no IMAP; see services/reading/labels.py)."""
from __future__ import annotations

from typing import Any

from django import template

from mailview.services.reading.labels import labels_known

register = template.Library()


@register.inclusion_tag("mailview/fragment_labels.html", takes_context=True)
def sidebar_labels(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"labels": []}
    return {"labels": labels_known(user_key=str(user.pk))}
