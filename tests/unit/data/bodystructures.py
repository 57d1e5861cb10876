"""Raw IMAP FETCH responses recorded from the dev stack's Dovecot 2.3.19.1.

Each value of BODYSTRUCTURES / CPYTHON is exactly the list imaplib handed to
imapclient for ``UID FETCH <uid> (BODYSTRUCTURE ENVELOPE)`` (literals are
(line, literal) tuples); re-parse with
``imapclient.response_parser.parse_fetch_response(value)``.

BODYSTRUCTURES: messages built with the stdlib ``email`` package (see the
names; recorded by APPENDing them to a folder of a test user).
PART_BODIES: name -> {section: what ``BODY.PEEK[section]`` returned} for every
non-multipart part up to 4 KB, sections as numbered by mailview.mime -- so a
test can check the numbering against what the server really serves.
CPYTHON: the same for CPython's Lib/test/test_email/data/msg_*.txt (bare LF
turned into CRLF before APPEND).

Generated; do not edit by hand.
"""
# fmt: off
# flake8: noqa
from __future__ import annotations

BODYSTRUCTURES: dict[str, list] = {
    'plain': [
        b'1 (UID 1 BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 22 1 NIL NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "plain" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<plain@fixtures.test>"))',
    ],
    'flowed': [
        b'2 (UID 2 BODYSTRUCTURE ("text" "plain" ("charset" "utf-8" "format" "flowed" "delsp" "yes") NIL NIL "quoted-printable" 90 3 NIL NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "flowed" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'alternative': [
        b'3 (UID 3 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "base64" 38 1 NIL NIL NIL NIL)("text" "html" ("charset" "utf-8") NIL NIL "base64" 54 1 NIL NIL NIL NIL) "alternative" ("boundary" "===============4394678618400861693==") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "alternative" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<alternative@fixtures.test>"))',
    ],
    'html_only_cp1252': [
        b'4 (UID 4 BODYSTRUCTURE ("text" "html" ("charset" "windows-1252") NIL NIL "8bit" 37 1 NIL NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "html only" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'related': [
        b'5 (UID 5 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "base64" 30 1 NIL NIL NIL NIL)(("text" "html" ("charset" "utf-8") NIL NIL "base64" 132 2 NIL NIL NIL NIL)("image" "png" NIL "<logo@fixtures.test>" NIL "base64" 42 NIL ("inline" ("filename" "logo.png")) NIL NIL)("image" "jpeg" NIL "<photo@fixtures.test>" NIL "base64" 34 NIL NIL NIL NIL) "related" ("boundary" "===============6809398601979538642==") NIL NIL NIL) "alternative" ("boundary" "===============3428837411012386117==") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "related" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<related@fixtures.test>"))',
    ],
    'related_start': [
        b'6 (UID 6 BODYSTRUCTURE (("image" "gif" NIL "<img@fixtures.test>" NIL "base64" 20 NIL NIL NIL NIL)("text" "html" ("charset" "us-ascii") "<root@fixtures.test>" NIL "7bit" 66 0 NIL NIL NIL NIL)("text" "css" ("charset" "us-ascii") "<style@fixtures.test>" NIL "7bit" 16 0 NIL NIL NIL NIL) "related" ("boundary" "REL" "type" "text/html" "start" "<root@fixtures.test>") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "related start" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'mixed_attachments': [
        (b'7 (UID 7 BODYSTRUCTURE ((("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 18 0 NIL NIL NIL NIL)("text" "html" ("charset" "utf-8") NIL NIL "7bit" 24 0 NIL NIL NIL NIL) "alternative" ("boundary" "ALT") NIL NIL NIL)("application" "pdf" ("name" "report.pdf") NIL NIL "base64" 20 NIL ("attachment" ("filename" "report.pdf")) NIL NIL)("image" "jpeg" NIL NIL NIL "base64" 32 NIL ("attachment" ("filename" "photo.jpg")) NIL NIL)("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 19 0 NIL ("inline" ("filename" "notes.txt")) NIL NIL)("text" "csv" ("charset" "us-ascii") NIL NIL "7bit" 8 1 NIL NIL NIL NIL)("application" "octet-stream" NIL NIL NIL "base64" 4 NIL ("attachment" ("filename*" "utf-8\'\'%E6%97%A5%E6%9C%AC%E8%AA%9E.txt")) NIL NIL)("application" "vnd.ms-excel" NIL NIL NIL "base64" 4 NIL ("attachment" ("filename*" "iso-8859-1\'\'Gr%FC%DFe%20aus%20K%F6ln%20und Umgebung.xls")) NIL NIL)("application" "msword" ("name" "=?iso-8859-1?q?r=E9sum=E9?= =?iso-8859-1?q?_final.doc?=") NIL NIL "base64" 4 NIL NIL NIL NIL)("application" "octet-stream" ("name" {19}', b'\xc3\x9cn\xc3\xafc\xc3\xb6d\xc3\xa9 raw.bin'),
        (b') NIL NIL "7bit" 7 NIL NIL NIL NIL)("application" "octet-stream" ("name" "../../etc/passwd") NIL NIL "7bit" 4 NIL ("attachment" ("filename" "..\\\\..\\\\windows\\\\evil.exe")) NIL NIL)("application" "x-msdownload" NIL NIL NIL "7bit" 4 NIL ("attachment" ("filename" {17}', b'invoice\xe2\x80\xaegnp.exe'),
        b')) NIL NIL)("application" "ms-tnef" ("name" "winmail.dat") NIL NIL "base64" 8 NIL NIL NIL NIL) "mixed" ("boundary" "MIX") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "=?utf-8?B?bWl4ZWQgYXR0YWNobWVudHMg4pyT?=" (("=?utf-8?q?Ren=C3=A9e_M=C3=BCller?=" NIL "renee" "example.test")) (("=?utf-8?q?Ren=C3=A9e_M=C3=BCller?=" NIL "renee" "example.test")) (("=?utf-8?q?Ren=C3=A9e_M=C3=BCller?=" NIL "renee" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'apple_inline': [
        b'8 (UID 8 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 19 0 NIL NIL NIL NIL)("image" "png" ("name" "IMG_0001.png") "<5A1B@apple.test>" NIL "base64" 12 NIL ("inline" ("filename" "IMG_0001.png")) NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 18 0 NIL NIL NIL NIL) "mixed" ("boundary" "APL") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "apple inline" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'nested': [
        b'9 (UID 9 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "base64" 26 1 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 826 ("Tue, 01 Oct 2024 10:00:00 +0200" "=?utf-8?q?Inner_=C3=A9t=C3=A9?=" (("=?utf-8?q?Z=C3=B6e?=" NIL "zoe" "example.test")) (("=?utf-8?q?Z=C3=B6e?=" NIL "zoe" "example.test")) (("=?utf-8?q?Z=C3=B6e?=" NIL "zoe" "example.test")) ((NIL NIL "Team" NIL)(NIL NIL "a" "example.test")("=?utf-8?q?J=C3=B6rg?=" NIL "jorg" "example.test")(NIL NIL NIL NIL)(NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) ((NIL NIL "carol" "example.test")) NIL NIL "<=?utf-8?q?Inner_=C3=A9t=C3=A9?@fixtures.test>") (("text" "plain" ("charset" "utf-8") NIL NIL "base64" 38 1 NIL NIL NIL NIL)("text" "html" ("charset" "utf-8") NIL NIL "base64" 46 1 NIL NIL NIL NIL) "alternative" ("boundary" "===============2181664005910628072==") NIL NIL NIL) 26 NIL NIL NIL NIL) "mixed" ("boundary" "===============7063932684694460303==") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "nested" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<nested@fixtures.test>"))',
    ],
    'nested_single': [
        b'10 (UID 10 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "base64" 34 1 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 313 ("Tue, 01 Oct 2024 10:00:00 +0200" "single inner" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<single-inner@fixtures.test>") ("text" "plain" ("charset" "utf-8") NIL NIL "base64" 38 1 NIL NIL NIL NIL) 10 NIL NIL NIL NIL) "mixed" ("boundary" "===============0785892728638631326==") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "nested single" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<nested-single@fixtures.test>"))',
    ],
    'nested_twice': [
        b'11 (UID 11 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "base64" 34 1 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 881 ("Tue, 01 Oct 2024 10:00:00 +0200" "middle" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<middle@fixtures.test>") (("text" "plain" ("charset" "utf-8") NIL NIL "base64" 30 1 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 310 ("Tue, 01 Oct 2024 10:00:00 +0200" "deepest" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<deepest@fixtures.test>") ("text" "html" ("charset" "utf-8") NIL NIL "base64" 46 1 NIL NIL NIL NIL) 10 NIL NIL NIL NIL) "mixed" ("boundary" "===============8453749449248598172==") NIL NIL NIL) 31 NIL NIL NIL NIL) "mixed" ("boundary" "===============6177048627744364582==") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "nested twice" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<nested-twice@fixtures.test>"))',
    ],
    'forward_attachment': [
        b'12 (UID 12 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "base64" 30 1 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 315 ("Tue, 01 Oct 2024 10:00:00 +0200" "fwd inner" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<fwd-inner@fixtures.test>") ("text" "plain" ("charset" "utf-8") NIL NIL "base64" 46 1 NIL NIL NIL NIL) 10 NIL ("attachment" ("filename" "forwarded.eml")) NIL NIL) "mixed" ("boundary" "===============5361251127861899797==") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "forward attachment" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<forward-attachment@fixtures.test>"))',
    ],
    'top_rfc822': [
        b'13 (UID 13 BODYSTRUCTURE ("message" "rfc822" NIL NIL NIL "7bit" 266 ("not a date" "top inner" ((NIL NIL "inner" "example.test")) ((NIL NIL "inner" "example.test")) ((NIL NIL "inner" "example.test")) NIL NIL NIL NIL NIL) (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 22 0 NIL NIL NIL NIL)("text" "html" ("charset" "us-ascii") NIL NIL "7bit" 28 0 NIL NIL NIL NIL) "alternative" ("boundary" "TA") NIL NIL NIL) 15 NIL NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "top rfc822" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'signed_pgp': [
        b'14 (UID 14 BODYSTRUCTURE ((("text" "plain" ("charset" "utf-8") NIL NIL "base64" 26 1 NIL NIL NIL NIL)("application" "pdf" ("Name" "signed.pdf") NIL NIL "base64" 62 NIL ("attachment" ("filename" "signed.pdf")) NIL NIL) "mixed" ("boundary" "===============0098053138833746411==") NIL NIL NIL)("application" "pgp-signature" NIL NIL "OpenPGP digital signature" "7bit" 67 NIL ("attachment" ("filename" "signature.asc")) NIL NIL) "signed" ("protocol" "application/pgp-signature" "micalg" "pgp-sha256" "boundary" "===============3086065340087585684==") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "signed pgp" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<signed-pgp@fixtures.test>"))',
    ],
    'signed_smime': [
        b'15 (UID 15 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "base64" 30 1 NIL NIL NIL NIL)("application" "pkcs7-signature" ("Name" "smime.p7s") NIL NIL "base64" 22 NIL ("attachment" ("filename" "smime.p7s")) NIL NIL) "signed" ("protocol" "application/pkcs7-signature" "micalg" "sha-256" "boundary" "===============0864299209108210534==") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "signed smime" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<signed-smime@fixtures.test>"))',
    ],
    'encrypted_pgp': [
        b'16 (UID 16 BODYSTRUCTURE (("application" "pgp-encrypted" NIL NIL "PGP/MIME version identification" "7bit" 10 NIL NIL NIL NIL)("application" "octet-stream" ("name" "encrypted.asc") NIL NIL "7bit" 63 NIL ("inline" ("filename" "encrypted.asc")) NIL NIL) "encrypted" ("protocol" "application/pgp-encrypted" "boundary" "ENC") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "encrypted" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'bounce': [
        b'17 (UID 17 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL "Notification" "7bit" 30 1 NIL NIL NIL NIL)("message" "delivery-status" NIL NIL "Delivery report" "7bit" 114 NIL NIL NIL NIL)("message" "rfc822" NIL NIL "Undelivered Message" "7bit" 311 ("Tue, 01 Oct 2024 10:00:00 +0200" "original" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<original@fixtures.test>") ("text" "plain" ("charset" "utf-8") NIL NIL "base64" 44 0 NIL NIL NIL NIL) 9 NIL NIL NIL NIL) "report" ("report-type" "delivery-status" "boundary" "BNC") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "Undelivered Mail Returned to Sender" (("Mail Delivery System" NIL "MAILER-DAEMON" "example.test")) (("Mail Delivery System" NIL "MAILER-DAEMON" "example.test")) (("Mail Delivery System" NIL "MAILER-DAEMON" "example.test")) ((NIL NIL "alice" "example.test")) NIL NIL NIL NIL))',
    ],
    'bounce_headers': [
        b'18 (UID 18 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 21 0 NIL NIL NIL NIL)("message" "delivery-status" NIL NIL NIL "7bit" 109 NIL NIL NIL NIL)("text" "rfc822-headers" ("charset" "us-ascii") NIL NIL "7bit" 51 1 NIL NIL NIL NIL) "report" ("report-type" "delivery-status" "boundary" "BH") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "Delivery Status Notification (Failure)" ((NIL NIL "MAILER-DAEMON" "example.test")) ((NIL NIL "MAILER-DAEMON" "example.test")) ((NIL NIL "MAILER-DAEMON" "example.test")) ((NIL NIL "alice" "example.test")) NIL NIL NIL NIL))',
    ],
    'mdn': [
        b'19 (UID 19 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 16 0 NIL NIL NIL NIL)("message" "disposition-notification" NIL NIL NIL "7bit" 130 NIL NIL NIL NIL) "report" ("report-type" "disposition-notification" "boundary" "MDN") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "Read: hello" ((NIL NIL "bob" "example.test")) ((NIL NIL "bob" "example.test")) ((NIL NIL "bob" "example.test")) ((NIL NIL "alice" "example.test")) NIL NIL NIL NIL))',
    ],
    'pdf_single': [
        b'20 (UID 20 BODYSTRUCTURE ("application" "pdf" NIL NIL NIL "base64" 62 NIL ("attachment" ("filename" "single.pdf")) NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "pdf single" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<pdf-single@fixtures.test>"))',
    ],
    'deep40': [
        b'21 (UID 21 BODYSTRUCTURE ((((((((((((((((((((((((((((((((((((((((("text" "plain" ("charset" "utf-8") NIL NIL "base64" 30 1 NIL NIL NIL NIL)("application" "octet-stream" NIL NIL NIL "base64" 22 NIL ("attachment" ("filename" "deep.bin")) NIL NIL) "mixed" ("boundary" "===============0441956171305952644==") NIL NIL NIL) "mixed" ("boundary" "L0") NIL NIL NIL) "mixed" ("boundary" "L1") NIL NIL NIL) "mixed" ("boundary" "L2") NIL NIL NIL) "mixed" ("boundary" "L3") NIL NIL NIL) "mixed" ("boundary" "L4") NIL NIL NIL) "mixed" ("boundary" "L5") NIL NIL NIL) "mixed" ("boundary" "L6") NIL NIL NIL) "mixed" ("boundary" "L7") NIL NIL NIL) "mixed" ("boundary" "L8") NIL NIL NIL) "mixed" ("boundary" "L9") NIL NIL NIL) "mixed" ("boundary" "L10") NIL NIL NIL) "mixed" ("boundary" "L11") NIL NIL NIL) "mixed" ("boundary" "L12") NIL NIL NIL) "mixed" ("boundary" "L13") NIL NIL NIL) "mixed" ("boundary" "L14") NIL NIL NIL) "mixed" ("boundary" "L15") NIL NIL NIL) "mixed" ("boundary" "L16") NIL NIL NIL) "mixed" ("boundary" "L17") NIL NIL NIL) "mixed" ("boundary" "L18") NIL NIL NIL) "mixed" ("boundary" "L19") NIL NIL NIL) "mixed" ("boundary" "L20") NIL NIL NIL) "mixed" ("boundary" "L21") NIL NIL NIL) "mixed" ("boundary" "L22") NIL NIL NIL) "mixed" ("boundary" "L23") NIL NIL NIL) "mixed" ("boundary" "L24") NIL NIL NIL) "mixed" ("boundary" "L25") NIL NIL NIL) "mixed" ("boundary" "L26") NIL NIL NIL) "mixed" ("boundary" "L27") NIL NIL NIL) "mixed" ("boundary" "L28") NIL NIL NIL) "mixed" ("boundary" "L29") NIL NIL NIL) "mixed" ("boundary" "L30") NIL NIL NIL) "mixed" ("boundary" "L31") NIL NIL NIL) "mixed" ("boundary" "L32") NIL NIL NIL) "mixed" ("boundary" "L33") NIL NIL NIL) "mixed" ("boundary" "L34") NIL NIL NIL) "mixed" ("boundary" "L35") NIL NIL NIL) "mixed" ("boundary" "L36") NIL NIL NIL) "mixed" ("boundary" "L37") NIL NIL NIL) "mixed" ("boundary" "L38") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "deep 40" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<deep-40@fixtures.test>"))',
    ],
    'deep120': [
        b'22 (UID 22 BODYSTRUCTURE (((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((((("application" "octet-stream" ("boundary" "L19") NIL NIL "7bit" 2150 NIL NIL NIL NIL) "mixed" ("boundary" "L20") NIL NIL NIL) "mixed" ("boundary" "L21") NIL NIL NIL) "mixed" ("boundary" "L22") NIL NIL NIL) "mixed" ("boundary" "L23") NIL NIL NIL) "mixed" ("boundary" "L24") NIL NIL NIL) "mixed" ("boundary" "L25") NIL NIL NIL) "mixed" ("boundary" "L26") NIL NIL NIL) "mixed" ("boundary" "L27") NIL NIL NIL) "mixed" ("boundary" "L28") NIL NIL NIL) "mixed" ("boundary" "L29") NIL NIL NIL) "mixed" ("boundary" "L30") NIL NIL NIL) "mixed" ("boundary" "L31") NIL NIL NIL) "mixed" ("boundary" "L32") NIL NIL NIL) "mixed" ("boundary" "L33") NIL NIL NIL) "mixed" ("boundary" "L34") NIL NIL NIL) "mixed" ("boundary" "L35") NIL NIL NIL) "mixed" ("boundary" "L36") NIL NIL NIL) "mixed" ("boundary" "L37") NIL NIL NIL) "mixed" ("boundary" "L38") NIL NIL NIL) "mixed" ("boundary" "L39") NIL NIL NIL) "mixed" ("boundary" "L40") NIL NIL NIL) "mixed" ("boundary" "L41") NIL NIL NIL) "mixed" ("boundary" "L42") NIL NIL NIL) "mixed" ("boundary" "L43") NIL NIL NIL) "mixed" ("boundary" "L44") NIL NIL NIL) "mixed" ("boundary" "L45") NIL NIL NIL) "mixed" ("boundary" "L46") NIL NIL NIL) "mixed" ("boundary" "L47") NIL NIL NIL) "mixed" ("boundary" "L48") NIL NIL NIL) "mixed" ("boundary" "L49") NIL NIL NIL) "mixed" ("boundary" "L50") NIL NIL NIL) "mixed" ("boundary" "L51") NIL NIL NIL) "mixed" ("boundary" "L52") NIL NIL NIL) "mixed" ("boundary" "L53") NIL NIL NIL) "mixed" ("boundary" "L54") NIL NIL NIL) "mixed" ("boundary" "L55") NIL NIL NIL) "mixed" ("boundary" "L56") NIL NIL NIL) "mixed" ("boundary" "L57") NIL NIL NIL) "mixed" ("boundary" "L58") NIL NIL NIL) "mixed" ("boundary" "L59") NIL NIL NIL) "mixed" ("boundary" "L60") NIL NIL NIL) "mixed" ("boundary" "L61") NIL NIL NIL) "mixed" ("boundary" "L62") NIL NIL NIL) "mixed" ("boundary" "L63") NIL NIL NIL) "mixed" ("boundary" "L64") NIL NIL NIL) "mixed" ("boundary" "L65") NIL NIL NIL) "mixed" ("boundary" "L66") NIL NIL NIL) "mixed" ("boundary" "L67") NIL NIL NIL) "mixed" ("boundary" "L68") NIL NIL NIL) "mixed" ("boundary" "L69") NIL NIL NIL) "mixed" ("boundary" "L70") NIL NIL NIL) "mixed" ("boundary" "L71") NIL NIL NIL) "mixed" ("boundary" "L72") NIL NIL NIL) "mixed" ("boundary" "L73") NIL NIL NIL) "mixed" ("boundary" "L74") NIL NIL NIL) "mixed" ("boundary" "L75") NIL NIL NIL) "mixed" ("boundary" "L76") NIL NIL NIL) "mixed" ("boundary" "L77") NIL NIL NIL) "mixed" ("boundary" "L78") NIL NIL NIL) "mixed" ("boundary" "L79") NIL NIL NIL) "mixed" ("boundary" "L80") NIL NIL NIL) "mixed" ("boundary" "L81") NIL NIL NIL) "mixed" ("boundary" "L82") NIL NIL NIL) "mixed" ("boundary" "L83") NIL NIL NIL) "mixed" ("boundary" "L84") NIL NIL NIL) "mixed" ("boundary" "L85") NIL NIL NIL) "mixed" ("boundary" "L86") NIL NIL NIL) "mixed" ("boundary" "L87") NIL NIL NIL) "mixed" ("boundary" "L88") NIL NIL NIL) "mixed" ("boundary" "L89") NIL NIL NIL) "mixed" ("boundary" "L90") NIL NIL NIL) "mixed" ("boundary" "L91") NIL NIL NIL) "mixed" ("boundary" "L92") NIL NIL NIL) "mixed" ("boundary" "L93") NIL NIL NIL) "mixed" ("boundary" "L94") NIL NIL NIL) "mixed" ("boundary" "L95") NIL NIL NIL) "mixed" ("boundary" "L96") NIL NIL NIL) "mixed" ("boundary" "L97") NIL NIL NIL) "mixed" ("boundary" "L98") NIL NIL NIL) "mixed" ("boundary" "L99") NIL NIL NIL) "mixed" ("boundary" "L100") NIL NIL NIL) "mixed" ("boundary" "L101") NIL NIL NIL) "mixed" ("boundary" "L102") NIL NIL NIL) "mixed" ("boundary" "L103") NIL NIL NIL) "mixed" ("boundary" "L104") NIL NIL NIL) "mixed" ("boundary" "L105") NIL NIL NIL) "mixed" ("boundary" "L106") NIL NIL NIL) "mixed" ("boundary" "L107") NIL NIL NIL) "mixed" ("boundary" "L108") NIL NIL NIL) "mixed" ("boundary" "L109") NIL NIL NIL) "mixed" ("boundary" "L110") NIL NIL NIL) "mixed" ("boundary" "L111") NIL NIL NIL) "mixed" ("boundary" "L112") NIL NIL NIL) "mixed" ("boundary" "L113") NIL NIL NIL) "mixed" ("boundary" "L114") NIL NIL NIL) "mixed" ("boundary" "L115") NIL NIL NIL) "mixed" ("boundary" "L116") NIL NIL NIL) "mixed" ("boundary" "L117") NIL NIL NIL) "mixed" ("boundary" "L118") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "deep 120" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<deep-120@fixtures.test>"))',
    ],
    'no_boundary': [
        b'23 (UID 23 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" NIL NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "no boundary" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'unknown_charset': [
        b'24 (UID 24 BODYSTRUCTURE ("text" "plain" ("charset" "x-unknown-foo") NIL NIL "8bit" 30 1 NIL NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "unknown charset" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'wrong_charset': [
        b'25 (UID 25 BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "8bit" 30 1 NIL NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "wrong charset" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'charsets': [
        b'26 (UID 26 BODYSTRUCTURE (("text" "plain" ("charset" "iso-2022-jp") NIL NIL "8bit" 36 0 NIL NIL NIL NIL)("text" "plain" ("charset" "shift_jis") NIL NIL "8bit" 22 0 NIL NIL NIL NIL)("text" "plain" ("charset" "x-sjis") NIL NIL "8bit" 18 0 NIL NIL NIL NIL)("text" "plain" ("charset" "euc-jp") NIL NIL "8bit" 15 0 NIL NIL NIL NIL)("text" "plain" ("charset" "gb2312") NIL NIL "8bit" 17 0 NIL NIL NIL NIL)("text" "plain" ("charset" "big5") NIL NIL "8bit" 15 0 NIL NIL NIL NIL)("text" "plain" ("charset" "koi8-r") NIL NIL "8bit" 22 0 NIL NIL NIL NIL)("text" "plain" ("charset" "windows-1251") NIL NIL "8bit" 24 0 NIL NIL NIL NIL)("text" "plain" ("charset" "ks_c_5601-1987") NIL NIL "8bit" 30 0 NIL NIL NIL NIL)("text" "plain" ("charset" "windows-874") NIL NIL "8bit" 21 0 NIL NIL NIL NIL)("text" "plain" ("charset" "iso-8859-8-i") NIL NIL "8bit" 20 0 NIL NIL NIL NIL)("text" "plain" ("charset" "unicode-1-1-utf-7") NIL NIL "8bit" 31 0 NIL NIL NIL NIL)("text" "plain" ("charset" "x-mac-roman") NIL NIL "8bit" 28 0 NIL NIL NIL NIL)("text" "plain" ("charset" "iso-8859-15") NIL NIL "8bit" 22 0 NIL NIL NIL NIL)("text" "plain" ("charset" "latin1") NIL NIL "8bit" 21 0 NIL NIL NIL NIL)("text" "plain" ("charset" "utf8") NIL NIL "8bit" 17 0 NIL NIL NIL NIL)("text" "plain" ("charset" "iso-8859-2") NIL NIL "8bit" 25 0 NIL NIL NIL NIL) "mixed" ("boundary" "CS") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "charsets" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'calendar': [
        b'27 (UID 27 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "base64" 30 1 NIL NIL NIL NIL)("text" "html" ("charset" "utf-8") NIL NIL "base64" 38 1 NIL NIL NIL NIL)("text" "calendar" ("charset" "utf-8" "method" "REQUEST") NIL NIL "base64" 66 1 NIL NIL NIL NIL) "alternative" ("boundary" "===============6288535430582141246==") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "calendar" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) NIL NIL NIL "<calendar@fixtures.test>"))',
    ],
    'digest': [
        b'28 (UID 28 BODYSTRUCTURE (("message" "rfc822" NIL NIL NIL "7bit" 64 (NIL "digest one" ((NIL NIL "one" "example.test")) ((NIL NIL "one" "example.test")) ((NIL NIL "one" "example.test")) NIL NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 17 0 NIL NIL NIL NIL) 3 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 64 (NIL "digest two" ((NIL NIL "two" "example.test")) ((NIL NIL "two" "example.test")) ((NIL NIL "two" "example.test")) NIL NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 17 0 NIL NIL NIL NIL) 3 NIL NIL NIL NIL) "digest" ("boundary" "DG") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "digest" ((NIL NIL "list" "example.test")) ((NIL NIL "list" "example.test")) ((NIL NIL "list" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'weird_case': [
        b'29 (UID 29 BODYSTRUCTURE (("TEXT" "HTML" ("CHARSET" "UTF-8") NIL NIL "QUOTED-PRINTABLE" 34 0 NIL ("INLINE" NIL) NIL NIL)("IMAGE" "PNG" ("NAME" "SHOUT.PNG") "<SHOUT@X>" NIL "BASE64" 12 NIL ("ATTACHMENT" NIL) NIL NIL) "MIXED" ("BOUNDARY" "WC") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "weird case" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'unknown_types': [
        b'30 (UID 30 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 24 0 NIL NIL NIL NIL)("x-foo" "bar" NIL NIL NIL "7bit" 12 NIL NIL NIL NIL)("garbage" "" NIL NIL NIL "7bit" 17 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "x-custom" 15 0 NIL ("form-data" ("name" "x")) NIL NIL)("text" "x-diff" ("charset" "us-ascii") NIL NIL "7bit" 12 1 NIL NIL NIL NIL) "x-weird" ("boundary" "UT") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "unknown types" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'empty_alternative': [
        b'31 (UID 31 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "alternative" ("boundary" "EA") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "empty alternative" ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "alice" "example.test")) ((NIL NIL "bob" "example.test")) NIL NIL NIL NIL))',
    ],
    'outlook': [
        b'32 (UID 32 BODYSTRUCTURE (((("text" "plain" ("charset" "utf-8") NIL NIL "base64" 30 1 NIL NIL NIL NIL)("text" "html" ("charset" "utf-8") NIL NIL "base64" 84 2 NIL NIL NIL NIL) "alternative" ("boundary" "===============2866712358928537737==") NIL NIL NIL)("image" "png" ("name" "image001.png") "<image001.png@01D>" NIL "base64" 42 NIL NIL NIL NIL) "related" ("type" "multipart/alternative" "boundary" "===============3321512121746064521==") NIL NIL NIL)("application" "zip" ("Name" "archive.zip") NIL NIL "base64" 10 NIL ("attachment" ("filename" "archive.zip")) NIL NIL) "mixed" ("boundary" "===============0227377422183773600==") NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" "outlook" (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Alice Example" NIL "alice" "example.test")) (("Bob" NIL "bob" "example.test")) (("Doe, John" NIL "john" "example.test")("=?utf-8?b?5bGx55Sw?=" NIL "yamada" "example.test")) NIL NIL "<outlook@fixtures.test>"))',
    ],
    'envelope_tricky': [
        (b'33 (UID 33 BODYSTRUCTURE ("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 17 1 NIL NIL NIL NIL) ENVELOPE ("Tue, 01 Oct 2024 10:00:00 +0200" {56}', b'=?utf-8?B?8J+Zgg==?= =?iso-8859-1?q?caf=E9?= raw Gr\xc3\xbc\xc3\x9fe'),
        b' (("=?utf-8?q?Ren=C3=A9e?=" NIL "renee" "example.test")) ((NIL NIL "list" "example.test")) (("=?utf-8?q?Ren=C3=A9e?=" NIL "renee" "example.test")) ((NIL NIL "undisclosed-recipients" NIL)(NIL NIL NIL NIL)) ((NIL NIL "local-only" "MISSING_DOMAIN")(NIL NIL "Group" NIL)(NIL NIL "g1" "example.test")(NIL NIL "g2" "example.test")(NIL NIL NIL NIL)("Quoted, Name" NIL "q" "example.test")) NIL NIL NIL))',
    ],
}

PART_BODIES: dict[str, dict[str, bytes]] = {
    'plain': {
        '1': b'Hello, plain marker.\r\n',
    },
    'flowed': {
        '1': b'Gr=C3=BC=C3=9Fe, this is a flowed marker line that is soft =\r\nbroken. \r\nsecond paragraph\r\n',
    },
    'alternative': {
        '1': b'YWx0ZXJuYXRpdmUgcGxhaW4gbWFya2VyCg==\r\n',
        '2': b'PHA+YWx0ZXJuYXRpdmUgPGI+aHRtbDwvYj4gbWFya2VyPC9wPgo=\r\n',
    },
    'html_only_cp1252': {
        '1': b'<p>\x93smart quotes\x94 html marker \x80</p>\r\n',
    },
    'related': {
        '1': b'cmVsYXRlZCBwbGFpbiBtYXJrZXIK\r\n',
        '2.1': b'PHA+cmVsYXRlZCBodG1sIG1hcmtlciA8aW1nIHNyYz0iY2lkOmxvZ29AZml4dHVyZXMudGVzdCI+\r\nPGltZyBzcmM9ImNpZDpwaG90b0BmaXh0dXJlcy50ZXN0Ij48L3A+\r\n',
        '2.2': b'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAA=\r\n',
        '2.3': b'/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==\r\n',
    },
    'related_start': {
        '1': b'R0lGODlhAQABAAAAACw=',
        '2': b'<p>related start root marker <img src="cid:img@fixtures.test"></p>',
        '3': b'p { color: red }',
    },
    'mixed_attachments': {
        '1.1': b'mixed plain marker',
        '1.2': b'<p>mixed html marker</p>',
        '2': b'JVBERi0xLjQKJSVFT0YK',
        '3': b'/9j/4AAQSkZJRgABAQAAAQABAAD/2Q==',
        '4': b'notes as attachment',
        '5': b'a,b\r\n1,2',
        '6': b'aGk=',
        '7': b'aGk=',
        '8': b'aGk=',
        '9': b'raw8bit',
        '10': b'evil',
        '11': b'bidi',
        '12': b'eJ8+Ig==',
    },
    'apple_inline': {
        '1': b'apple before marker',
        '2': b'iVBORw0KGgo=',
        '3': b'apple after marker',
    },
    'nested': {
        '1': b'b3V0ZXIgdGV4dCBtYXJrZXIK\r\n',
        '2': b'Content-Type: multipart/alternative;\r\n boundary="===============2181664005910628072=="\r\nMIME-Version: 1.0\r\nFrom: =?utf-8?q?Z=C3=B6e?= <zoe@example.test>\r\nTo: Team: a@example.test, =?utf-8?q?J=C3=B6rg?= <jorg@example.test>;,\r\n undisclosed-recipients:;\r\nCc: carol@example.test\r\nSubject: =?utf-8?q?Inner_=C3=A9t=C3=A9?=\r\nDate: Tue, 01 Oct 2024 10:00:00 +0200\r\nMessage-ID: <=?utf-8?q?Inner_=C3=A9t=C3=A9?@fixtures.test>\r\n\r\n--===============2181664005910628072==\r\nContent-Type: text/plain; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n\r\nbmVzdGVkIGlubmVyIHBsYWluIG1hcmtlcgo=\r\n\r\n--===============2181664005910628072==\r\nContent-Type: text/html; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n\r\nPHA+bmVzdGVkIGlubmVyIGh0bWwgbWFya2VyPC9wPgo=\r\n\r\n--===============2181664005910628072==--\r\n',
        '2.1': b'bmVzdGVkIGlubmVyIHBsYWluIG1hcmtlcgo=\r\n',
        '2.2': b'PHA+bmVzdGVkIGlubmVyIGh0bWwgbWFya2VyPC9wPgo=\r\n',
    },
    'nested_single': {
        '1': b'b3V0ZXIgb2Ygc2luZ2xlIG1hcmtlcgo=\r\n',
        '2': b'Content-Type: text/plain; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\nFrom: "Alice Example" <alice@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: single inner\r\nDate: Tue, 01 Oct 2024 10:00:00 +0200\r\nMessage-ID: <single-inner@fixtures.test>\r\n\r\nbmVzdGVkIHNpbmdsZSBib2R5IG1hcmtlcgo=\r\n',
        '2.1': b'bmVzdGVkIHNpbmdsZSBib2R5IG1hcmtlcgo=\r\n',
    },
    'nested_twice': {
        '1': b'b3V0ZXJtb3N0IHRleHQgbWFya2VyCg==\r\n',
        '2': b'Content-Type: multipart/mixed; boundary="===============8453749449248598172=="\r\nMIME-Version: 1.0\r\nFrom: "Alice Example" <alice@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: middle\r\nDate: Tue, 01 Oct 2024 10:00:00 +0200\r\nMessage-ID: <middle@fixtures.test>\r\n\r\n--===============8453749449248598172==\r\nContent-Type: text/plain; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n\r\nbWlkZGxlIHRleHQgbWFya2VyCg==\r\n\r\n--===============8453749449248598172==\r\nContent-Type: message/rfc822\r\nMIME-Version: 1.0\r\n\r\nContent-Type: text/html; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\nFrom: "Alice Example" <alice@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: deepest\r\nDate: Tue, 01 Oct 2024 10:00:00 +0200\r\nMessage-ID: <deepest@fixtures.test>\r\n\r\nPHA+dHdpY2UgbmVzdGVkIGh0bWwgbWFya2VyPC9wPg==\r\n\r\n--===============8453749449248598172==--\r\n',
        '2.1': b'bWlkZGxlIHRleHQgbWFya2VyCg==\r\n',
        '2.2': b'Content-Type: text/html; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\nFrom: "Alice Example" <alice@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: deepest\r\nDate: Tue, 01 Oct 2024 10:00:00 +0200\r\nMessage-ID: <deepest@fixtures.test>\r\n\r\nPHA+dHdpY2UgbmVzdGVkIGh0bWwgbWFya2VyPC9wPg==\r\n',
        '2.2.1': b'PHA+dHdpY2UgbmVzdGVkIGh0bWwgbWFya2VyPC9wPg==\r\n',
    },
    'forward_attachment': {
        '1': b'c2VlIGF0dGFjaGVkIG1hcmtlcgo=\r\n',
        '2': b'Content-Type: text/plain; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\nFrom: "Alice Example" <alice@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: fwd inner\r\nDate: Tue, 01 Oct 2024 10:00:00 +0200\r\nMessage-ID: <fwd-inner@fixtures.test>\r\n\r\nZm9yd2FyZGVkIGFzIGF0dGFjaG1lbnQgbWFya2VyCg==\r\n',
        '2.1': b'Zm9yd2FyZGVkIGFzIGF0dGFjaG1lbnQgbWFya2VyCg==\r\n',
    },
    'top_rfc822': {
        '1': b'From: inner@example.test\r\nSubject: top inner\r\nDate: not a date\r\nMIME-Version: 1.0\r\nContent-Type: multipart/alternative; boundary="TA"\r\n\r\n--TA\r\nContent-Type: text/plain\r\n\r\ntop inner plain marker\r\n--TA\r\nContent-Type: text/html\r\n\r\n<p>top inner html marker</p>\r\n--TA--\r\n',
        '1.1': b'top inner plain marker',
        '1.2': b'<p>top inner html marker</p>',
    },
    'signed_pgp': {
        '1.1': b'cGdwIHNpZ25lZCBtYXJrZXIK\r\n',
        '1.2': b'JVBERi0xLjQKMSAwIG9iajw8Pj5lbmRvYmoKdHJhaWxlcjw8Pj4KJSVFT0YK\r\n',
        '2': b'-----BEGIN PGP SIGNATURE-----\r\n\r\nabc\r\n-----END PGP SIGNATURE-----\r\n',
    },
    'signed_smime': {
        '1': b'c21pbWUgc2lnbmVkIG1hcmtlcgo=\r\n',
        '2': b'MIIBAHNpZ25hdHVyZQ==\r\n',
    },
    'encrypted_pgp': {
        '1': b'Version: 1',
        '2': b'-----BEGIN PGP MESSAGE-----\r\n\r\nhQEMA\r\n-----END PGP MESSAGE-----',
    },
    'bounce': {
        '1': b'bounce human readable marker\r\n',
        '2': b'Reporting-MTA: dns; mx.example.test\r\n\r\nFinal-Recipient: rfc822; nobody@example.test\r\nAction: failed\r\nStatus: 5.1.1',
        '3': b'Content-Type: text/plain; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\nFrom: "Alice Example" <alice@example.test>\r\nTo: Bob <bob@example.test>\r\nSubject: original\r\nDate: Tue, 01 Oct 2024 10:00:00 +0200\r\nMessage-ID: <original@fixtures.test>\r\n\r\ndGhlIG9yaWdpbmFsIHRoYXQgYm91bmNlZCBtYXJrZXIK',
        '3.1': b'dGhlIG9yaWdpbmFsIHRoYXQgYm91bmNlZCBtYXJrZXIK',
    },
    'bounce_headers': {
        '1': b'headers bounce marker',
        '2': b'Reporting-MTA: dns; mx.example.test\r\n\r\nFinal-Recipient: rfc822; x@example.test\r\nAction: failed\r\nStatus: 5.0.0',
        '3': b'From: alice@example.test\r\nSubject: original subject',
    },
    'mdn': {
        '1': b'mdn human marker',
        '2': b'Reporting-UA: mail.example.test\r\nFinal-Recipient: rfc822;bob@example.test\r\nDisposition: manual-action/MDN-sent-manually; displayed',
    },
    'pdf_single': {
        '1': b'JVBERi0xLjQKMSAwIG9iajw8Pj5lbmRvYmoKdHJhaWxlcjw8Pj4KJSVFT0YK\r\n',
    },
    'deep40': {
        '1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1': b'ZGVlcCA0MCB0ZXh0IG1hcmtlcgo=\r\n',
        '1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.2': b'ZGVlcCBhdHRhY2htZW50\r\n',
    },
    'deep120': {
        '1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1.1': b'--L19\r\nContent-Type: multipart/mixed; boundary="L18"\r\nMIME-Version: 1.0\r\n\r\n--L18\r\nContent-Type: multipart/mixed; boundary="L17"\r\nMIME-Version: 1.0\r\n\r\n--L17\r\nContent-Type: multipart/mixed; boundary="L16"\r\nMIME-Version: 1.0\r\n\r\n--L16\r\nContent-Type: multipart/mixed; boundary="L15"\r\nMIME-Version: 1.0\r\n\r\n--L15\r\nContent-Type: multipart/mixed; boundary="L14"\r\nMIME-Version: 1.0\r\n\r\n--L14\r\nContent-Type: multipart/mixed; boundary="L13"\r\nMIME-Version: 1.0\r\n\r\n--L13\r\nContent-Type: multipart/mixed; boundary="L12"\r\nMIME-Version: 1.0\r\n\r\n--L12\r\nContent-Type: multipart/mixed; boundary="L11"\r\nMIME-Version: 1.0\r\n\r\n--L11\r\nContent-Type: multipart/mixed; boundary="L10"\r\nMIME-Version: 1.0\r\n\r\n--L10\r\nContent-Type: multipart/mixed; boundary="L9"\r\nMIME-Version: 1.0\r\n\r\n--L9\r\nContent-Type: multipart/mixed; boundary="L8"\r\nMIME-Version: 1.0\r\n\r\n--L8\r\nContent-Type: multipart/mixed; boundary="L7"\r\nMIME-Version: 1.0\r\n\r\n--L7\r\nContent-Type: multipart/mixed; boundary="L6"\r\nMIME-Version: 1.0\r\n\r\n--L6\r\nContent-Type: multipart/mixed; boundary="L5"\r\nMIME-Version: 1.0\r\n\r\n--L5\r\nContent-Type: multipart/mixed; boundary="L4"\r\nMIME-Version: 1.0\r\n\r\n--L4\r\nContent-Type: multipart/mixed; boundary="L3"\r\nMIME-Version: 1.0\r\n\r\n--L3\r\nContent-Type: multipart/mixed; boundary="L2"\r\nMIME-Version: 1.0\r\n\r\n--L2\r\nContent-Type: multipart/mixed; boundary="L1"\r\nMIME-Version: 1.0\r\n\r\n--L1\r\nContent-Type: multipart/mixed; boundary="L0"\r\nMIME-Version: 1.0\r\n\r\n--L0\r\nContent-Type: multipart/mixed; boundary="===============6494940594273301394=="\r\nMIME-Version: 1.0\r\n\r\n--===============6494940594273301394==\r\nContent-Type: text/plain; charset="utf-8"\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\n\r\nZGVlcCAxMjAgdGV4dCBtYXJrZXIK\r\n\r\n--===============6494940594273301394==\r\nContent-Type: application/octet-stream\r\nMIME-Version: 1.0\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename="deep.bin"\r\n\r\nZGVlcCBhdHRhY2htZW50\r\n\r\n--===============6494940594273301394==--\r\n\r\n--L0--\r\n\r\n--L1--\r\n\r\n--L2--\r\n\r\n--L3--\r\n\r\n--L4--\r\n\r\n--L5--\r\n\r\n--L6--\r\n\r\n--L7--\r\n\r\n--L8--\r\n\r\n--L9--\r\n\r\n--L10--\r\n\r\n--L11--\r\n\r\n--L12--\r\n\r\n--L13--\r\n\r\n--L14--\r\n\r\n--L15--\r\n\r\n--L16--\r\n\r\n--L17--\r\n\r\n--L18--\r\n\r\n--L19--\r\n',
    },
    'no_boundary': {
        'TEXT': b'no boundary marker\r\n--x\r\ntrailing\r\n',
    },
    'unknown_charset': {
        '1': b'unknown charset marker \xc3\xa9 \xc3\xbc\r\n',
    },
    'wrong_charset': {
        '1': b'wrong charset marker Gr\xc3\xbc\xc3\x9fe\r\n',
    },
    'charsets': {
        '1': b'[iso-2022-jp] \x1b$BF|K\\8l$N%F%-%9%H\x1b(B',
        '2': b'[shift_jis] \x93\xfa\x96{\x8c\xea\xb6\xc0\xb6\xc5',
        '3': b'[x-sjis] \x83V\x83t\x83gJIS',
        '4': b'[euc-jp] \xc6\xfc\xcb\xdc\xb8\xec',
        '5': b'[gb2312] \xbc\xf2\xcc\xe5\xd6\xd0\xce\xc4',
        '6': b'[big5] \xc1c\xc5\xe9\xa4\xa4\xa4\xe5',
        '7': b'[koi8-r] \xf2\xd5\xd3\xd3\xcb\xc9\xca \xd4\xc5\xcb\xd3\xd4',
        '8': b'[windows-1251] \xca\xe8\xf0\xe8\xeb\xeb\xe8\xf6\xe0',
        '9': b'[ks_c_5601-1987] \xc7\xd1\xb1\xb9\xbe\xee \xc5\xd8\xbd\xba\xc6\xae',
        '10': b'[windows-874] \xc0\xd2\xc9\xd2\xe4\xb7\xc2',
        '11': b'[iso-8859-8-i] \xf2\xe1\xf8\xe9\xfa',
        '12': b'[unicode-1-1-utf-7] UTF-7 +IKw-',
        '13': b'[x-mac-roman] Mac \xd2quotes\xd3 \xc4',
        '14': b'[iso-8859-15] Euro \xa4 \xbd',
        '15': b'[latin1] Fran\xe7ais \xe0\xe9\xe8',
        '16': b'[utf8] emoji \xf0\x9f\x99\x82',
        '17': b'[iso-8859-2] Za\xbf\xf3\xb3\xe6 g\xea\xb6l\xb1',
    },
    'calendar': {
        '1': b'aW52aXRlIHBsYWluIG1hcmtlcgo=\r\n',
        '2': b'PHA+aW52aXRlIGh0bWwgbWFya2VyPC9wPgo=\r\n',
        '3': b'QkVHSU46VkNBTEVOREFSDQpNRVRIT0Q6UkVRVUVTVA0KRU5EOlZDQUxFTkRBUg0K\r\n',
    },
    'digest': {
        '1': b'From: one@example.test\r\nSubject: digest one\r\n\r\ndigest one marker',
        '1.1': b'digest one marker',
        '2': b'From: two@example.test\r\nSubject: digest two\r\n\r\ndigest two marker',
        '2.1': b'digest two marker',
    },
    'weird_case': {
        '1': b'<P>weird case marker =E2=9C=93</P>',
        '2': b'iVBORw0KGgo=',
    },
    'unknown_types': {
        '1': b'unknown multipart marker',
        '2': b'foo bar data',
        '3': b'garbage type text',
        '4': b'odd disposition',
        '5': b'--- a\r\n+++ b',
    },
    'empty_alternative': {
        '1': b'',
    },
    'outlook': {
        '1.1.1': b'b3V0bG9vayBwbGFpbiBtYXJrZXIK\r\n',
        '1.1.2': b'PHA+b3V0bG9vayBodG1sIG1hcmtlciA8aW1nIHNyYz0iY2lkOmltYWdlMDAxLnBuZ0AwMUQiPjwv\r\ncD4K\r\n',
        '1.2': b'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAA=\r\n',
        '2': b'UEsDBA==\r\n',
    },
    'envelope_tricky': {
        '1': b'envelope marker\r\n',
    },
}

CPYTHON: dict[str, list] = {
    'msg_01.txt': [
        b'1 (UID 1 BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 43 6 NIL NIL NIL NIL) ENVELOPE ("Fri, 4 May 2001 14:05:44 -0400" "This is a test message" (("John X. Doe" NIL "bbb" "ddd.com")) (("John X. Doe" NIL "bbb" "ddd.com")) (("John X. Doe" NIL "bbb" "ddd.com")) ((NIL NIL "bbb" "zzz.org")) NIL NIL NIL "<15090.61304.110929.45684@aaa.zzz.org>"))',
    ],
    'msg_02.txt': [
        b'2 (UID 2 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL "Masthead (Ppp digest, Vol 1 #2)" "7bit" 419 14 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL "Today\'s Topics (5 msgs)" "7bit" 199 7 NIL NIL NIL NIL)(("message" "rfc822" NIL NIL NIL "7bit" 247 ("Fri, 20 Apr 2001 20:16:13 -0400" "[Ppp] testing #1" (("Barry A. Warsaw" NIL "barry" "digicool.com")) (("Barry A. Warsaw" NIL "barry" "digicool.com")) (("Barry A. Warsaw" NIL "barry" "digicool.com")) ((NIL NIL "ppp" "zzz.org")) NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 11 3 NIL NIL NIL NIL) 12 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 220 ("Fri, 20 Apr 2001 20:16:21 -0400" NIL (("Barry A. Warsaw" NIL "barry" "digicool.com")) (("Barry A. Warsaw" NIL "barry" "digicool.com")) (("Barry A. Warsaw" NIL "barry" "digicool.com")) ((NIL NIL "ppp" "zzz.org")) NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 11 3 NIL NIL NIL NIL) 11 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 247 ("Fri, 20 Apr 2001 20:16:25 -0400" "[Ppp] testing #3" (("Barry A. Warsaw" NIL "barry" "digicool.com")) (("Barry A. Warsaw" NIL "barry" "digicool.com")) (("Barry A. Warsaw" NIL "barry" "digicool.com")) ((NIL NIL "ppp" "zzz.org")) NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 11 3 NIL NIL NIL NIL) 12 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 247 ("Fri, 20 Apr 2001 20:16:28 -0400" "[Ppp] testing #4" (("Barry A. Warsaw" NIL "barry" "digicool.com")) (("Barry A. Warsaw" NIL "barry" "digicool.com")) (("Barry A. Warsaw" NIL "barry" "digicool.com")) ((NIL NIL "ppp" "zzz.org")) NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 11 3 NIL NIL NIL NIL) 12 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 251 ("Fri, 20 Apr 2001 20:16:32 -0400" "[Ppp] testing #5" (("Barry A. Warsaw" NIL "barry" "digicool.com")) (("Barry A. Warsaw" NIL "barry" "digicool.com")) (("Barry A. Warsaw" NIL "barry" "digicool.com")) ((NIL NIL "ppp" "zzz.org")) NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 15 5 NIL NIL NIL NIL) 14 NIL NIL NIL NIL) "digest" ("boundary" "__--__--") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL "Digest Footer" "7bit" 123 5 NIL NIL NIL NIL) "mixed" ("boundary" "192.168.1.2.889.32614.987812255.500.21814") NIL NIL NIL) ENVELOPE ("Fri, 20 Apr 2001 20:18:00 -0400 (EDT)" "Ppp digest, Vol 1 #2 - 5 msgs" ((NIL NIL "ppp-request" "zzz.org")) ((NIL NIL "ppp-admin" "zzz.org")) ((NIL NIL "ppp-request" "zzz.org")) ((NIL NIL "ppp" "zzz.org")) NIL NIL NIL NIL))',
    ],
    'msg_03.txt': [
        b'3 (UID 3 BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 43 6 NIL NIL NIL NIL) ENVELOPE ("Fri, 4 May 2001 14:05:44 -0400" "This is a test message" (("John X. Doe" NIL "bbb" "ddd.com")) (("John X. Doe" NIL "bbb" "ddd.com")) (("John X. Doe" NIL "bbb" "ddd.com")) ((NIL NIL "bbb" "zzz.org")) NIL NIL NIL "<15090.61304.110929.45684@aaa.zzz.org>"))',
    ],
    'msg_04.txt': [
        b'4 (UID 4 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 50 2 NIL ("inline" ("filename" "msg.txt")) NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 50 2 NIL ("inline" ("filename" "msg.txt")) NIL NIL) "mixed" ("boundary" "h90VIIIKmx") NIL NIL NIL) ENVELOPE ("Tue, 11 Sep 2001 00:05:05 -0400" "a simple multipart" (("Barry A. Warsaw" NIL "barry" "python.org")) (("Barry A. Warsaw" NIL "barry" "python.org")) (("Barry A. Warsaw" NIL "barry" "python.org")) ((NIL NIL "barry" "python.org")) NIL NIL NIL "<15261.36209.358846.118674@anthem.python.org>"))',
    ],
    'msg_05.txt': [
        b'5 (UID 5 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 19 1 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 19 1 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 46 (NIL NIL ((NIL NIL "nobody" "python.org")) ((NIL NIL "nobody" "python.org")) ((NIL NIL "nobody" "python.org")) NIL NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 19 1 NIL NIL NIL NIL) 3 NIL NIL NIL NIL) "report" ("report-type" "delivery-status" "boundary" "D1690A7AC1.996856090/mail.example.com") NIL NIL NIL) ENVELOPE (NIL "bar" ((NIL NIL "foo" "MISSING_DOMAIN")) ((NIL NIL "foo" "MISSING_DOMAIN")) ((NIL NIL "foo" "MISSING_DOMAIN")) ((NIL NIL "baz" "MISSING_DOMAIN")) NIL NIL NIL "<20010803162810.0CA8AA7ACC@mail.example.com>"))',
    ],
    'msg_06.txt': [
        b'6 (UID 6 BODYSTRUCTURE ("message" "rfc822" NIL NIL "forwarded message" "7bit" 497 ("Thu, 13 Sep 2001 17:28:28 -0400" "testing" (("Barry A. Warsaw" NIL "barry" "python.org")) ((NIL NIL "barry" "python.org")) (("Barry A. Warsaw" NIL "barry" "python.org")) ((NIL NIL "barry" "python.org")) NIL NIL NIL "<15265.9468.713530.98441@python.org>") ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 2 1 NIL NIL NIL NIL) 16 NIL NIL NIL NIL) ENVELOPE ("Thu, 13 Sep 2001 17:28:42 -0400" "forwarded message from Barry A. Warsaw" (("Barry A. Warsaw" NIL "barry" "python.org")) ((NIL NIL "barry" "python.org")) (("Barry A. Warsaw" NIL "barry" "python.org")) ((NIL NIL "barry" "python.org")) NIL NIL NIL "<15265.9482.641338.555352@python.org>"))',
    ],
    'msg_07.txt': [
        b'7 (UID 7 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 39 3 NIL NIL NIL NIL)("image" "gif" ("name" "dingusfish.gif") NIL NIL "base64" 4808 NIL ("attachment" ("filename" "dingusfish.gif")) NIL NIL) "mixed" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE ("Fri, 20 Apr 2001 19:35:02 -0400" "Here is your dingus fish" (("Barry" NIL "barry" "digicool.com")) (("Barry" NIL "barry" "digicool.com")) (("Barry" NIL "barry" "digicool.com")) (("Dingus Lovers" NIL "cravindogs" "cravindogs.com")) NIL NIL NIL NIL))',
    ],
    'msg_08.txt': [
        b'8 (UID 8 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "html" ("charset" "iso-8859-1") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "iso-8859-2") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "koi8-r") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE ("Fri, 20 Apr 2001 19:35:02 -0400" "Lyrics" (("Barry Warsaw" NIL "barry" "python.org")) (("Barry Warsaw" NIL "barry" "python.org")) (("Barry Warsaw" NIL "barry" "python.org")) (("Dingus Lovers" NIL "cravindogs" "cravindogs.com")) NIL NIL NIL NIL))',
    ],
    'msg_09.txt': [
        b'9 (UID 9 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "html" ("charset" "iso-8859-1") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "koi8-r") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE ("Fri, 20 Apr 2001 19:35:02 -0400" "Lyrics" (("Barry Warsaw" NIL "barry" "python.org")) (("Barry Warsaw" NIL "barry" "python.org")) (("Barry Warsaw" NIL "barry" "python.org")) (("Dingus Lovers" NIL "cravindogs" "cravindogs.com")) NIL NIL NIL NIL))',
    ],
    'msg_10.txt': [
        b'10 (UID 10 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 33 1 NIL NIL NIL NIL)("text" "html" ("charset" "iso-8859-1") NIL NIL "Quoted-Printable" 48 1 NIL NIL NIL NIL)("text" "plain" ("charset" "iso-8859-1") NIL NIL "Base64" 48 2 NIL NIL NIL NIL)("text" "plain" ("charset" "iso-8859-1") NIL NIL "Base64" 52 2 NIL NIL NIL NIL)("text" "plain" ("charset" "iso-8859-1") NIL NIL "7bit" 48 1 NIL NIL NIL NIL) "mixed" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE ("Fri, 20 Apr 2001 19:35:02 -0400" "Lyrics" (("Barry Warsaw" NIL "barry" "python.org")) (("Barry Warsaw" NIL "barry" "python.org")) (("Barry Warsaw" NIL "barry" "python.org")) (("Dingus Lovers" NIL "cravindogs" "cravindogs.com")) NIL NIL NIL NIL))',
    ],
    'msg_11.txt': [
        b'11 (UID 11 BODYSTRUCTURE ("message" "rfc822" NIL NIL NIL "7bit" 66 (NIL "An enclosed message" NIL NIL NIL NIL NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 34 1 NIL NIL NIL NIL) 3 NIL NIL NIL NIL) ENVELOPE (NIL "The enclosing message" NIL NIL NIL NIL NIL NIL NIL NIL))',
    ],
    'msg_12.txt': [
        b'12 (UID 12 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "html" ("charset" "iso-8859-1") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)(("text" "plain" ("charset" "iso-8859-2") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "iso-8859-3") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "ANOTHER") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "koi8-r") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE ("Fri, 20 Apr 2001 19:35:02 -0400" "Lyrics" (("Barry Warsaw" NIL "barry" "python.org")) (("Barry Warsaw" NIL "barry" "python.org")) (("Barry Warsaw" NIL "barry" "python.org")) (("Dingus Lovers" NIL "cravindogs" "cravindogs.com")) NIL NIL NIL NIL))',
    ],
    'msg_12a.txt': [
        b'13 (UID 13 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "html" ("charset" "iso-8859-1") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)(("text" "plain" ("charset" "iso-8859-2") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "iso-8859-3") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "ANOTHER") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "koi8-r") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE ("Fri, 20 Apr 2001 19:35:02 -0400" "Lyrics" (("Barry Warsaw" NIL "barry" "python.org")) (("Barry Warsaw" NIL "barry" "python.org")) (("Barry Warsaw" NIL "barry" "python.org")) (("Dingus Lovers" NIL "cravindogs" "cravindogs.com")) NIL NIL NIL NIL))',
    ],
    'msg_13.txt': [
        b'14 (UID 14 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 19 1 NIL NIL NIL NIL)(("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 39 3 NIL NIL NIL NIL)("image" "gif" ("name" "dingusfish.gif") NIL NIL "base64" 4808 NIL ("attachment" ("filename" "dingusfish.gif")) NIL NIL) "mixed" ("boundary" "BOUNDARY") NIL NIL NIL) "mixed" ("boundary" "OUTER") NIL NIL NIL) ENVELOPE ("Fri, 20 Apr 2001 19:35:02 -0400" "Here is your dingus fish" (("Barry" NIL "barry" "digicool.com")) (("Barry" NIL "barry" "digicool.com")) (("Barry" NIL "barry" "digicool.com")) (("Dingus Lovers" NIL "cravindogs" "cravindogs.com")) NIL NIL NIL NIL))',
    ],
    'msg_14.txt': [
        b'15 (UID 15 BODYSTRUCTURE ("" "" NIL NIL NIL "7bit" 235 NIL NIL NIL NIL) ENVELOPE ("Fri, 4 May 2001 14:05:44 -0400" "This is a test message" (("John X. Doe" NIL "bbb" "ddd.com")) (("John X. Doe" NIL "bbb" "ddd.com")) (("John X. Doe" NIL "bbb" "ddd.com")) ((NIL NIL "bbb" "zzz.org")) NIL NIL NIL "<15090.61304.110929.45684@aaa.zzz.org>"))',
    ],
    'msg_15.txt': [
        b'16 (UID 16 BODYSTRUCTURE ((("text" "plain" ("charset" "ISO-8859-1") NIL NIL "quoted-printable" 21 1 NIL NIL NIL NIL)("text" "html" ("charset" "ISO-8859-1") NIL NIL "quoted-printable" 107 9 NIL NIL NIL NIL) "alternative" ("boundary" "MS_Mac_OE_3071477847_720252_MIME_Part") NIL NIL NIL)("image" "gif" ("name" "xx.gif" "x-mac-creator" "6F676C65" "x-mac-type" "47494666") NIL NIL "base64" 36 NIL ("attachment" NIL) NIL NIL) "mixed" ("boundary" "MS_Mac_OE_3071477847_720252_MIME_Part") NIL NIL NIL) ENVELOPE (NIL "XX" ((NIL NIL "xx" "xx.dk")) ((NIL NIL "xx" "xx.dk")) ((NIL NIL "xx" "xx.dk")) ((NIL NIL "XX" "MISSING_DOMAIN")) NIL NIL NIL "<xxxx>"))',
    ],
    'msg_16.txt': [
        b'17 (UID 17 BODYSTRUCTURE (("text" "plain" ("charset" "ISO-8859-1") NIL NIL "7bit" 451 13 NIL NIL NIL NIL)("message" "DELIVERY-STATUS" NIL NIL NIL "7bit" 272 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 2701 ("Sun, 23 Sep 2001 20:10:55 -0700" "[scr] yeah for Ians!!" (("Ian T. Henry" NIL "henryi" "oxy.edu")) ((NIL NIL "scr-admin" "socal-raves.org")) (("Ian T. Henry" NIL "henryi" "oxy.edu")) (("SoCal Raves" NIL "scr" "socal-raves.org")) NIL NIL NIL "<002001c144a6$8752e060$56104586@oxy.edu>") ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 206 7 NIL NIL NIL NIL) 55 NIL NIL NIL NIL) "report" ("boundary" "Boundary_(ID_PGS2F2a+z+/jL7hupKgRhA)") NIL NIL NIL) ENVELOPE ("Sun, 23 Sep 2001 20:14:35 -0700 (PDT)" "Delivery Notification: Delivery has failed" (("Internet Mail Delivery" NIL "postmaster" "ucla.edu")) ((NIL NIL "scr-owner" "socal-raves.org")) (("Internet Mail Delivery" NIL "postmaster" "ucla.edu")) ((NIL NIL "scr-admin" "socal-raves.org")) NIL NIL NIL "<0GK500B04D0B8X@cougar.noc.ucla.edu>"))',
    ],
    'msg_17.txt': [
        b'18 (UID 18 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE ("Fri, 20 Apr 2001 19:35:02 -0400" "Here is your dingus fish" (("Barry" NIL "barry" "digicool.com")) (("Barry" NIL "barry" "digicool.com")) (("Barry" NIL "barry" "digicool.com")) (("Dingus Lovers" NIL "cravindogs" "cravindogs.com")) NIL NIL NIL NIL))',
    ],
    'msg_18.txt': [
        b'19 (UID 19 BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))',
    ],
    'msg_19.txt': [
        b'20 (UID 20 BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 746 40 NIL NIL NIL NIL) ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))',
    ],
    'msg_20.txt': [
        b'21 (UID 21 BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 43 6 NIL NIL NIL NIL) ENVELOPE ("Fri, 4 May 2001 14:05:44 -0400" "This is a test message" (("John X. Doe" NIL "bbb" "ddd.com")) (("John X. Doe" NIL "bbb" "ddd.com")) (("John X. Doe" NIL "bbb" "ddd.com")) ((NIL NIL "bbb" "zzz.org")) ((NIL NIL "ccc" "zzz.org")(NIL NIL "ddd" "zzz.org")(NIL NIL "eee" "zzz.org")) NIL NIL "<15090.61304.110929.45684@aaa.zzz.org>"))',
    ],
    'msg_21.txt': [
        b'22 (UID 22 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 3 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 3 0 NIL NIL NIL NIL) "mixed" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE (NIL "Test" ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "bperson" "dom.ain")) NIL NIL NIL NIL))',
    ],
    'msg_22.txt': [
        b'23 (UID 23 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii" "format" "flowed") NIL NIL "7bit" 15 0 NIL NIL NIL NIL)("image" "jpeg" ("name" "wibble.JPG" "x-mac-type" "4A504547" "x-mac-creator" "474B4F4E") "<a05001902b7f1c33773e9@[134.84.183.138].0.0>" NIL "base64" 374 NIL ("attachment" ("filename" "wibble.JPG")) NIL NIL)("image" "jpeg" ("name" "wibble2.JPG" "x-mac-type" "4A504547" "x-mac-creator" "474B4F4E") "<a05001902b7f1c33773e9@[134.84.183.138].0.1>" NIL "base64" 436 NIL ("attachment" ("filename" "wibble2.JPG")) NIL NIL)("text" "plain" ("charset" "us-ascii" "format" "flowed") NIL NIL "7bit" 15 0 NIL NIL NIL NIL) "mixed" ("boundary" "============_-1208892523==_============") NIL NIL NIL) ENVELOPE ("Tue, 16 Oct 2001 13:59:25 +0300" NIL ((NIL NIL "b" "example.com")) ((NIL NIL "b" "example.com")) ((NIL NIL "b" "example.com")) ((NIL NIL "a" "example.com")) NIL NIL NIL "<a05001902b7f1c33773e9@[134.84.183.138]>"))',
    ],
    'msg_23.txt': [
        b'24 (UID 24 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 14 0 NIL NIL NIL NIL) "mixed" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE (NIL NIL ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) NIL NIL NIL NIL NIL))',
    ],
    'msg_24.txt': [
        b'25 (UID 25 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE (NIL "A subject" ((NIL NIL "bperson" "dom.ain")) ((NIL NIL "bperson" "dom.ain")) ((NIL NIL "bperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) NIL NIL NIL NIL))',
    ],
    'msg_25.txt': [
        b'26 (UID 26 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "report" ("report-type" "delivery-status") NIL NIL NIL) ENVELOPE ("Fri, 6 Apr 2001 09:23:06 -0800 (GMT-0800)" "Returned mail: Too many hops 19 (17 max): from <linuxuser-admin@www.linux.org.uk> via [199.164.235.226], to <scoffman@wellpartner.com>" (("Mail Delivery Subsystem" NIL "MAILER-DAEMON" "zinfandel.lacita.com")) (("Mail Delivery Subsystem" NIL "MAILER-DAEMON" "zinfandel.lacita.com")) (("Mail Delivery Subsystem" NIL "MAILER-DAEMON" "zinfandel.lacita.com")) ((NIL NIL "linuxuser-admin" "www.linux.org.uk")(NIL NIL "postmaster" "zinfandel.lacita.com")) NIL NIL NIL "<200104061723.JAB03225@zinfandel.lacita.com>"))',
    ],
    'msg_26.txt': [
        b'27 (UID 27 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 33 2 NIL NIL NIL NIL)("application" "riscos" ("name" "clock.bmp,69c" "type" "BMP" "load" "&fff69c4b" "exec" "&355dd4d1" "access" "&03") NIL NIL "base64" 866 NIL ("attachment" ("filename" "clock.bmp")) NIL NIL) "mixed" ("boundary" "1618492860--2051301190--113853680") NIL NIL NIL) ENVELOPE ("Sun, 12 May 2002 08:56:15 +0100" "IMAP file test" (("Father Time" NIL "father.time" "xcar.wooster.local")) (("Father Time" NIL "father.time" "xcar.wooster.local")) (("Father Time" NIL "father.time" "xcar.wooster.local")) ((NIL NIL "timbo" "jeeves.wooster.local")) NIL NIL NIL "<6df65d354b.father.time@rpc.wooster.local>"))',
    ],
    'msg_27.txt': [
        (b'28 (UID 28 BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 6 1 NIL NIL NIL NIL) ENVELOPE ("Tue, 4 Jun 2002 21:46:59 -0400" {168}', b'bug demonstration 12345678911234567892123456789312345678941234567895123456789612345678971234567898112345678911234567892123456789112345678911234567892123456789 more text'),
        b' (("Anne P. Erson" NIL "aperson" "dom.ain")) (("Anne P. Erson" NIL "aperson" "dom.ain")) (("Anne P. Erson" NIL "aperson" "dom.ain")) (("Barney P. Erson" NIL "bperson" "dom.ain")) NIL NIL NIL "<15613.28051.707126.569693@dom.ain>"))',
    ],
    'msg_28.txt': [
        b'29 (UID 29 BODYSTRUCTURE (("message" "rfc822" NIL NIL NIL "7bit" 102 (NIL "ee" ((NIL NIL "cc" "dd.org")) ((NIL NIL "cc" "dd.org")) ((NIL NIL "cc" "dd.org")) ((NIL NIL "aa" "bb.org")) NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 11 1 NIL NIL NIL NIL) 6 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 102 (NIL "ee" ((NIL NIL "cc" "dd.org")) ((NIL NIL "cc" "dd.org")) ((NIL NIL "cc" "dd.org")) ((NIL NIL "aa" "bb.org")) NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 11 1 NIL NIL NIL NIL) 6 NIL NIL NIL NIL) "digest" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE (NIL NIL ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) NIL NIL NIL NIL NIL))',
    ],
    'msg_29.txt': [
        b'30 (UID 30 BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii" "title*" "us-ascii\'en\'This%20is%20even%20more%20%2A%2A%2Afun%2A%2A%2A%20isn\'t it!") NIL NIL "7bit" 43 6 NIL NIL NIL NIL) ENVELOPE ("Fri, 4 May 2001 14:05:44 -0400" "This is a test message" (("John X. Doe" NIL "bbb" "ddd.com")) (("John X. Doe" NIL "bbb" "ddd.com")) (("John X. Doe" NIL "bbb" "ddd.com")) ((NIL NIL "bbb" "zzz.org")) NIL NIL NIL "<15090.61304.110929.45684@aaa.zzz.org>"))',
    ],
    'msg_30.txt': [
        b'31 (UID 31 BODYSTRUCTURE (("message" "rfc822" NIL NIL NIL "7bit" 102 (NIL "ee" ((NIL NIL "cc" "dd.org")) ((NIL NIL "cc" "dd.org")) ((NIL NIL "cc" "dd.org")) ((NIL NIL "aa" "bb.org")) NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 11 1 NIL NIL NIL NIL) 6 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 102 (NIL "ee" ((NIL NIL "cc" "dd.org")) ((NIL NIL "cc" "dd.org")) ((NIL NIL "cc" "dd.org")) ((NIL NIL "aa" "bb.org")) NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 11 1 NIL NIL NIL NIL) 6 NIL NIL NIL NIL) "digest" ("boundary" "BOUNDARY") NIL NIL NIL) ENVELOPE (NIL NIL ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) NIL NIL NIL NIL NIL))',
    ],
    'msg_31.txt': [
        b'32 (UID 32 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "BOUNDARY_") NIL NIL NIL) ENVELOPE (NIL NIL ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) NIL NIL NIL NIL NIL))',
    ],
    'msg_32.txt': [
        b'33 (UID 33 BODYSTRUCTURE ("text" "plain" ("charset*" "ansi-x3.4-1968\'\'us-ascii" "charset" "us-ascii") NIL NIL "7bit" 15 1 NIL ("inline" NIL) NIL NIL) ENVELOPE ("Tue, 26 Sep 2000 12:23:03 -0500" "Re: Limiting Perl CPU Utilization..." (("Anne Person" NIL "aperson" "example.com")) ((NIL NIL "owner-freebsd-isp" "FreeBSD.ORG")) (("Anne Person" NIL "aperson" "example.com")) (("Barney Dude" NIL "bdude" "example.com")) NIL NIL NIL NIL))',
    ],
    'msg_33.txt': [
        b'34 (UID 34 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "signed" ("boundary*" "ansi-x3.4-1968\'\'EeQfGwPcQSOJBaQU" "micalg*" "ansi-x3.4-1968\'\'pgp-md5" "protocol*" "ansi-x3.4-1968\'\'application%2Fpgp-signature") ("inline" NIL) NIL NIL) ENVELOPE ("Wed, 27 Sep 2000 11:11:09 -0500" "Re: Limiting Perl CPU Utilization..." (("Anne Person" NIL "aperson" "example.com")) ((NIL NIL "owner-freebsd-isp" "FreeBSD.ORG")) (("Anne Person" NIL "aperson" "example.com")) (("Barney Dude" NIL "bdude" "example.com")) NIL NIL NIL NIL))',
    ],
    'msg_34.txt': [
        b'35 (UID 35 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 110 3 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 60 (NIL NIL ((NIL NIL "cperson" "dom.ain")) ((NIL NIL "cperson" "dom.ain")) ((NIL NIL "cperson" "dom.ain")) ((NIL NIL "dperson" "dom.ain")) NIL NIL NIL NIL) ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 14 1 NIL NIL NIL NIL) 4 NIL NIL NIL NIL) "digest" ("boundary" "XYZ") NIL NIL NIL) ENVELOPE (NIL NIL ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "bperson" "dom.ain")) NIL NIL NIL NIL))',
    ],
    'msg_35.txt': [
        b'36 (UID 36 BODYSTRUCTURE ("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) ENVELOPE (NIL "here\'s something interesting" ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "aperson" "dom.ain")) ((NIL NIL "bperson" "dom.ain")) NIL NIL NIL NIL))',
    ],
    'msg_36.txt': [
        b'37 (UID 37 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 16 1 NIL NIL NIL NIL)(("Message" "External-body" ("access-type" "mail-server" "server" "mailserv@ietf.org") NIL NIL "7bit" 138 NIL NIL NIL NIL)("Message" "External-body" ("name" "draft-ietf-mboned-mix-00.txt" "site" "ftp.ietf.org" "access-type" "anon-ftp" "directory" "internet-drafts") NIL NIL "7bit" 71 NIL NIL NIL NIL) "Alternative" ("Boundary" "OtherAccess") NIL NIL NIL) "Mixed" ("Boundary" "NextPart") NIL NIL NIL) ENVELOPE ("Tue, 22 Dec 1998 16:55:06 -0500" "I-D ACTION:draft-ietf-mboned-mix-00.txt" ((NIL NIL "Internet-Drafts" "ietf.org")) ((NIL NIL "Internet-Drafts" "ietf.org")) ((NIL NIL "Internet-Drafts" "ietf.org")) ((NIL NIL "IETF-Announce" NIL)(NIL NIL NIL NIL)) NIL NIL NIL NIL))',
    ],
    'msg_37.txt': [
        b'38 (UID 38 BODYSTRUCTURE (("text" "x-one" ("charset" "us-ascii") NIL NIL "7bit" 6 1 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "x-two" ("charset" "us-ascii") NIL NIL "7bit" 6 1 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "x-two" ("charset" "us-ascii") NIL NIL "7bit" 6 1 NIL NIL NIL NIL) "mixed" ("boundary" "ABCDE") NIL NIL NIL) ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))',
    ],
    'msg_38.txt': [
        b'39 (UID 39 BODYSTRUCTURE (((("text" "plain" ("charset" "us-ascii") "<20592.1022586929.3@example.com>" "very tricky" "7bit" 126 2 NIL NIL NIL NIL) "alternative" ("boundary" "----- =_aaaaaaaaaa2") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "----- =_aaaaaaaaaa1") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 1622 66 NIL NIL NIL NIL)("text" "plain" ("charset" "us-ascii") "<20592.1022586929.15@example.com>" NIL "7bit" 52 2 NIL NIL NIL NIL) "mixed" ("boundary" "----- =_aaaaaaaaaa0") NIL NIL NIL) ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))',
    ],
    'msg_39.txt': [
        b'40 (UID 40 BODYSTRUCTURE (((("application" "octet-stream" NIL "<20592.1022586929.3@example.com>" "patch1" "base64" 5 NIL NIL NIL NIL)("application" "octet-stream" NIL "<20592.1022586929.4@example.com>" "patch2" "base64" 5 NIL NIL NIL NIL) "alternative" ("boundary" "----- =_aaaaaaaaaa1") NIL NIL NIL)(("application" "octet-stream" NIL "<20592.1022586929.7@example.com>" "patch3" "base64" 5 NIL NIL NIL NIL)("application" "octet-stream" NIL "<20592.1022586929.8@example.com>" "patch4" "base64" 5 NIL NIL NIL NIL) "alternative" ("boundary" "----- =_aaaaaaaaaa1") NIL NIL NIL)(("application" "octet-stream" NIL "<20592.1022586929.11@example.com>" "patch5" "base64" 5 NIL NIL NIL NIL)("application" "octet-stream" NIL "<20592.1022586929.12@example.com>" "patch6" "base64" 5 NIL NIL NIL NIL) "alternative" ("boundary" "----- =_aaaaaaaaaa1") NIL NIL NIL) "mixed" ("boundary" "----- =_aaaaaaaaaa1") NIL NIL NIL)("text" "plain" ("charset" "us-ascii") "<20592.1022586929.15@example.com>" NIL "7bit" 52 2 NIL NIL NIL NIL) "mixed" ("boundary" "----- =_aaaaaaaaaa0") NIL NIL NIL) ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))',
    ],
    'msg_40.txt': [
        b'41 (UID 41 BODYSTRUCTURE ("text" "html" ("boundary" "--961284236552522269" "charset" "us-ascii") NIL NIL "7bit" 128 7 NIL NIL NIL NIL) ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL))',
    ],
    'msg_41.txt': [
        b'42 (UID 42 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "alternative" NIL NIL NIL NIL) ENVELOPE ("Sun, 11 Jul 2004 16:09:27 -0300" "64423" (("Allison Dunlap" NIL "xxx" "example.com")) (("Allison Dunlap" NIL "xxx" "example.com")) (("Allison Dunlap" NIL "xxx" "example.com")) ((NIL NIL "yyy" "example.com")) NIL NIL NIL NIL))',
    ],
    'msg_42.txt': [
        b'43 (UID 43 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 7 1 NIL NIL NIL NIL)("message" "rfc822" NIL NIL NIL "7bit" 107 (NIL NIL ((NIL NIL "webmaster" "python.org")) ((NIL NIL "webmaster" "python.org")) ((NIL NIL "webmaster" "python.org")) ((NIL NIL "zzz" "example.com")) NIL NIL NIL NIL) (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "BBB") NIL NIL NIL) 5 NIL NIL NIL NIL) "mixed" ("boundary" "AAA") NIL NIL NIL) ENVELOPE (NIL NIL (("Mail Delivery Subsystem" NIL "xxx" "example.com")) (("Mail Delivery Subsystem" NIL "xxx" "example.com")) (("Mail Delivery Subsystem" NIL "xxx" "example.com")) ((NIL NIL "yyy" "example.com")) NIL NIL NIL NIL))',
    ],
    'msg_43.txt': [
        b'44 (UID 44 BODYSTRUCTURE (("text" "plain" ("charset" "utf-8") NIL NIL "7bit" 1178 10 NIL ("inline" NIL) NIL NIL)("message" "delivery-status" NIL NIL "Delivery error report" "7bit" 6259 NIL ("inline" NIL) NIL NIL)("text" "rfc822-headers" ("charset" "us-ascii") NIL "Undelivered-message headers" "7bit" 544 14 NIL ("inline" NIL) NIL NIL) "report" ("report-type" "delivery-status" "charset" "utf-8" "boundary" "----------=_1101526904-1956-5") NIL NIL NIL) ENVELOPE ("Fri, 26 Nov 2004 19:41:44 -0800 (PST)" "Banned file: auto__mail.python.bat in mail from you" (("MAILER DAEMON" NIL "MISSING_MAILBOX" "MISSING_DOMAIN")) (("MAILER DAEMON" NIL "MISSING_MAILBOX" "MISSING_DOMAIN")) (("MAILER DAEMON" NIL "MISSING_MAILBOX" "MISSING_DOMAIN")) ((NIL NIL "webmaster" "python.org")) NIL NIL NIL "<edab.7804f5cb8070@python.org>"))',
    ],
    'msg_44.txt': [
        b'45 (UID 45 BODYSTRUCTURE (("text" "plain" ("name" "msg.txt" "charset" "us-ascii") NIL NIL "7bit" 50 2 NIL NIL NIL NIL)("text" "plain" ("name" "msg.txt" "charset" "us-ascii") NIL NIL "7bit" 50 2 NIL NIL NIL NIL) "mixed" ("boundary" "h90VIIIKmx") NIL NIL NIL) ENVELOPE ("Tue, 11 Sep 2001 00:05:05 -0400" "a simple multipart" (("Barry A. Warsaw" NIL "barry" "python.org")) (("Barry A. Warsaw" NIL "barry" "python.org")) (("Barry A. Warsaw" NIL "barry" "python.org")) ((NIL NIL "barry" "python.org")) NIL NIL NIL "<15261.36209.358846.118674@anthem.python.org>"))',
    ],
    'msg_45.txt': [
        b'46 (UID 46 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 30 1 NIL NIL NIL NIL)("application" "pgp-signature" ("name" "signature.asc") NIL "OpenPGP digital signature" "7bit" 196 NIL ("attachment" ("filename" "signature.asc")) NIL NIL) "signed" ("boundary" "borderline" "protocol" "application/pgp-signature" "micalg" "pgp-sha1") NIL NIL NIL) ENVELOPE (NIL "test" ((NIL NIL "foo" "bar.baz")) ((NIL NIL "foo" "bar.baz")) ((NIL NIL "foo" "bar.baz")) ((NIL NIL "baz" "bar.foo")) NIL NIL NIL NIL))',
    ],
    'msg_46.txt': [
        b'47 (UID 47 BODYSTRUCTURE ("message" "rfc822" NIL NIL NIL "7bit" 386 ("Mon, 01 Feb 2010 12:18:40 +0100" "GroupwiseForwardingTest" (("Dr. Sender" NIL "sender" "example.net")) (("Dr. Sender" NIL "sender" "example.net")) (("Dr. Sender" NIL "sender" "example.net")) (("Recipient" NIL "recipient" "example.com")) NIL NIL NIL "<4B66B890.4070408@teconcept.de>") ("text" "plain" ("charset" "ISO-8859-15") NIL NIL "7bit" 50 1 NIL NIL NIL NIL) 11 NIL NIL NIL NIL) ENVELOPE ("Mon, 01 Feb 2010 12:21:16 +0100" "GroupwiseForwardingTest" (("Sender" NIL "sender" "example.net")) (("Sender" NIL "sender" "example.net")) (("Sender" NIL "sender" "example.net")) ((NIL NIL "someone" "example.com")) NIL NIL NIL NIL))',
    ],
    'msg_47.txt': [
        b'48 (UID 48 BODYSTRUCTURE (("text" "plain" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL)("text" "html" ("charset" "us-ascii") NIL NIL "7bit" 0 0 NIL NIL NIL NIL) "mixed" ("boundary" "foo") NIL NIL NIL) ENVELOPE ("01 Jan 2001 00:01+0000" NIL ((NIL NIL "arthur" "example.example")) ((NIL NIL "arthur" "example.example")) ((NIL NIL "arthur" "example.example")) NIL NIL NIL NIL NIL))',
    ],
}
