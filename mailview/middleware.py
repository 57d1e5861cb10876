"""Middleware of the mail app: refuse oversized compose uploads before their body is read."""
from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


class UploadSizeMiddleware:
    """A POST to a compose URL is refused (413) by its Content-Length alone when it could
    never be accepted (over the mail server's size limit or the person's upload quota).

    It has to run before anything touches `request.POST`: Django's CSRF check does, and
    parsing a multipart body reads all of it (a 300 MB file to a temporary file) before
    any view could say no. Place it after AuthenticationMiddleware (it needs the user);
    every middleware's request phase runs before CsrfViewMiddleware's view phase.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.prefix = ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            self.prefix = self.prefix or reverse("mailview:compose")
            if request.path_info.startswith(self.prefix):
                refused = self._refusal(request)
                if refused is not None:
                    return refused
        return self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        from mailview.services.compose.lifecycle import compose_request_refusal
        from mailview.views.common import wants_json

        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body without a valid length
        reason = compose_request_refusal(user=request.user, length=length)
        if reason is None:
            return None
        if wants_json(request):
            return JsonResponse({"error": reason}, status=413)
        return render(request, "error.html", {"title": _("Upload too big"), "message": reason, "status": 413}, status=413)
