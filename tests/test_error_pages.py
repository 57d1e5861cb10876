"""The 404, 500 and 503 pages: the project's own, translated, on the app's stylesheet."""
from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.utils import translation

from webmail.outage import server_error, unavailable_response


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "title"), [("en", "Page not found"), ("de", "Seite nicht gefunden")])
def test_an_unknown_address_gets_the_translated_404_page(client, language, title):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 404
    page = response.content.decode()
    assert f"<h1>{title}</h1>" in page and 'href="/mail/"' in page
    assert 'name="viewport"' in page and "css/app.css" in page  # phone width, light and dark


@pytest.mark.django_db
def test_the_500_page_needs_no_database_and_no_request_context(django_assert_num_queries):
    request = RequestFactory().get("/mail/INBOX/")
    with translation.override("de"), django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    page = response.content.decode()
    assert "<h1>Etwas ist schiefgegangen</h1>" in page
    assert 'name="viewport"' in page and "css/app.css" in page


@pytest.mark.django_db
def test_the_503_page_says_nothing_was_lost_and_when_to_retry():
    request = RequestFactory().get("/mail/INBOX/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override("en"):
        response = unavailable_response(request)
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    page = response.content.decode()
    assert "<h1>Temporarily unavailable</h1>" in page and "Nothing you saved before is lost" in page
    assert 'href="/mail/INBOX/"' in page  # "Try again" repeats the same page
