import pytest

from mailview.imap import validate
from mailview.imap.errors import InvalidImapInput


@pytest.mark.parametrize("bad", ["", "a\rb", "a\nb", "a\x00b", "x" * 1001, None, 5])
def test_bad_folder_names_are_refused(bad):
    with pytest.raises(InvalidImapInput):
        validate.folder_name(bad)


@pytest.mark.parametrize("good", ["INBOX", "Work/Projects", "Entwürfe", "<img src=x onerror=alert(1)>", "a b \"c\""])
def test_good_folder_names_pass(good):
    assert validate.folder_name(good) == good


@pytest.mark.parametrize("bad", ["0", "-1", "1e3", "4294967296", "١٢", True, 0])
def test_bad_uids_are_refused(bad):
    with pytest.raises(InvalidImapInput):
        validate.uid(bad)


def test_uids():
    assert validate.uids(["1", 2, "4294967295"]) == [1, 2, 4294967295]


@pytest.mark.parametrize("good", ["1", "1.2", "2.1.3", "1.HEADER", "3.2.MIME", ".".join(["1"] * 101), ".".join(["99999"] * 128) + ".TEXT"])
def test_sections(good):
    assert validate.section(good) == good


@pytest.mark.parametrize("bad", ["0", "1..2", "1.2]", "1 2", "HEADER", "1.2\r\n", "01", ".".join(["1"] * 129)])
def test_bad_sections(bad):
    with pytest.raises(InvalidImapInput):
        validate.section(bad)


def test_search_text_refuses_line_breaks():
    with pytest.raises(InvalidImapInput):
        validate.search_text("hello\r\nA1 LOGOUT")
    assert validate.search_text("hello world") == "hello world"
