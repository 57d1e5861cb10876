"""Decoding of what comes back from ``BODY.PEEK[<section>]`` and of header values.

Every function here takes hostile bytes and never raises: a broken message is
shown as well as it can be, never as a server error.
"""
from __future__ import annotations

import binascii
import codecs
import re
import unicodedata
from functools import lru_cache

__all__ = ["decode_transfer", "decode_text", "decode_header_value", "safe_filename", "transfer_damaged", "IDENTITY_ENCODINGS"]

# --------------------------------------------------------------------------
# Content-Transfer-Encoding
# --------------------------------------------------------------------------

_B64_JUNK = re.compile(rb"[^A-Za-z0-9+/=]+")
_B64_PAD = re.compile(rb"=+")


def _b64_tolerant(raw: bytes) -> bytes:
    """Base64 that decodes what can be: junk characters are skipped, every
    padded block (some mailers concatenate separately padded chunks) is decoded
    on its own, a truncated last quantum is padded or dropped."""
    data = _B64_JUNK.sub(b"", raw)
    out = bytearray()
    for chunk in _B64_PAD.split(data):
        if not chunk:
            continue
        rest = len(chunk) % 4
        if rest == 1:  # one dangling sextet carries no full byte
            chunk = chunk[:-1]
        elif rest:
            chunk += b"=" * (4 - rest)
        try:
            out += binascii.a2b_base64(chunk)
        except (binascii.Error, ValueError):  # pragma: no cover - chunk is clean by construction
            continue
    return bytes(out)


def _uu_tolerant(raw: bytes) -> bytes:
    out = bytearray()
    for line in raw.splitlines():
        if not line or line.startswith((b"begin ", b"begin-base64 ")) or line.strip() in (b"end", b"`"):
            continue
        try:
            out += binascii.a2b_uu(line)
        except (binascii.Error, ValueError):
            try:  # a common breakage: trailing garbage; decode by the declared length
                nbytes = (((line[0] - 32) & 63) * 4 + 5) // 3
                out += binascii.a2b_uu(line[:nbytes])
            except (binascii.Error, ValueError, IndexError):
                continue
    return bytes(out)


#: Content-Transfer-Encodings that leave the bytes as they are.
IDENTITY_ENCODINGS = frozenset({"7bit", "8bit", "binary", ""})
UU_ENCODINGS = frozenset({"x-uuencode", "uuencode", "x-uue", "uue"})
# Well-formed base64 once line breaks and blanks are gone: whole quanta, padding only at the end.
_B64_WHITESPACE = re.compile(rb"[ \t\r\n]+")
_B64_VALID = re.compile(rb"(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?")
# An "=" in quoted-printable that is neither an escape nor a soft line break (nor the end).
_QP_INVALID = re.compile(rb"=(?![0-9A-Fa-f]{2}|[ \t]*(?:\r?\n|\Z))")


def transfer_damaged(raw: bytes, encoding: str) -> bool:
    """Whether `decode_transfer` had to guess: base64 with characters outside its alphabet,
    padding inside the data or a cut-off end; quoted-printable with an ``=`` that is no
    escape; uuencoded lines that do not decode; an encoding we do not know (then the bytes
    are shown as they came). One linear pass; never raises."""
    enc = (encoding or "").strip().strip('"').lower()
    try:
        if enc in IDENTITY_ENCODINGS or not raw:
            return False
        if enc == "base64":
            return _B64_VALID.fullmatch(_B64_WHITESPACE.sub(b"", raw)) is None
        if enc == "quoted-printable":
            return _QP_INVALID.search(raw) is not None
        if enc in UU_ENCODINGS:
            return _uu_damaged(raw)
    except Exception:  # pragma: no cover - defensive
        return True
    return True


def _uu_damaged(raw: bytes) -> bool:
    for line in raw.splitlines():
        if not line or line.startswith((b"begin ", b"begin-base64 ")) or line.strip() in (b"end", b"`"):
            continue
        try:
            binascii.a2b_uu(line)
        except (binascii.Error, ValueError):
            return True
    return False


def decode_transfer(raw: bytes, encoding: str) -> bytes:
    """Undo a Content-Transfer-Encoding. base64 and quoted-printable are decoded
    tolerantly; 7bit, 8bit, binary and anything unknown come back as they are."""
    if not raw:
        return b""
    if not isinstance(raw, bytes):
        raw = bytes(raw)
    enc = (encoding or "").strip().strip('"').lower()
    try:
        if enc == "base64":
            return _b64_tolerant(raw)
        if enc == "quoted-printable":
            # binascii.a2b_qp handles soft breaks (=\r\n and =\n), lower-case hex,
            # and leaves invalid escapes such as "=ZZ" as they are.
            return binascii.a2b_qp(raw)
        if enc in UU_ENCODINGS:
            return _uu_tolerant(raw)
    except Exception:  # pragma: no cover - defensive: keep the bytes rather than fail
        return raw
    return raw


# --------------------------------------------------------------------------
# Charsets
# --------------------------------------------------------------------------

_C1_ERRORS = "mailview-c1"


def _c1_handler(exc: UnicodeError) -> tuple[str, int]:
    """Map bytes a single-byte codec leaves undefined to the same code point
    (what browsers do for windows-1252: 0x81 -> U+0081), so no byte is lost."""
    if isinstance(exc, UnicodeDecodeError):
        return "".join(chr(b) for b in exc.object[exc.start:exc.end]), exc.end
    raise exc


codecs.register_error(_C1_ERRORS, _c1_handler)

# Mail charset labels Python does not know, or knows as a narrower codec than
# what senders actually use (the WHATWG Encoding Standard's choices).
_ALIASES: dict[str, str] = {
    # Chinese (simplified): gb18030 is a superset of gb2312 and gbk
    **dict.fromkeys(
        ("gb2312", "gb_2312", "gb_2312-80", "csgb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936",
         "euc-cn", "x-euc-cn", "chinese", "iso-ir-58", "csiso58gb231280"),
        "gb18030",
    ),
    "hz-gb-2312": "hz",
    "x-x-big5": "big5",
    "big5-hkscs": "big5hkscs",
    # Korean: cp949 (Unified Hangul Code) is a superset of euc-kr
    **dict.fromkeys(
        ("ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "ks_c_5601", "korean", "csksc56011987",
         "iso-ir-149", "euc-kr", "x-euc-kr", "cseuckr", "windows-949", "x-windows-949", "ms949", "uhc"),
        "cp949",
    ),
    # Japanese: Windows-31J (cp932) is what "Shift_JIS" mail really is
    **dict.fromkeys(
        ("shift_jis", "shift-jis", "x-sjis", "sjis", "s-jis", "ms_kanji", "csshiftjis", "windows-31j",
         "x-ms-cp932", "ms932", "cswindows31j"),
        "cp932",
    ),
    "x-euc-jp": "euc_jp",
    # Hebrew/Arabic logical and explicit ordering labels
    **dict.fromkeys(("iso-8859-8-i", "iso-8859-8-e", "csiso88598i", "csiso88598e", "logical", "visual"), "iso8859_8"),
    **dict.fromkeys(("iso-8859-6-i", "iso-8859-6-e", "csiso88596i", "csiso88596e"), "iso8859_6"),
    # UTF-7
    **dict.fromkeys(("unicode-1-1-utf-7", "csunicode11utf7", "x-unicode-2-0-utf-7", "x-unicode20utf7", "utf7"), "utf_7"),
    **dict.fromkeys(("unicode-1-1-utf-8", "unicode-2-0-utf-8", "x-unicode20utf8", "utf8", "utf_8"), "utf_8"),
    # Thai
    **dict.fromkeys(("windows-874", "x-windows-874", "dos-874", "tis-620", "iso-8859-11", "iso8859-11"), "cp874"),
    # Western: iso-8859-1 and ascii labels mean windows-1252 in practice
    **dict.fromkeys(("iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819", "ibm819",
                     "iso-ir-100", "csisolatin1", "x-cp1252", "windows-1252", "cp-1252"), "cp1252"),
    **dict.fromkeys(("iso-8859-9", "iso8859-9", "latin5", "l5", "iso-ir-148", "csisolatin5"), "cp1254"),
    **dict.fromkeys(("us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "cp367", "ibm367", "csascii",
                     "iso-ir-6", "x-ascii"), "ascii"),
    # Macintosh
    **dict.fromkeys(("x-mac-roman", "macintosh", "mac", "csmacintosh", "x-mac"), "mac_roman"),
    **dict.fromkeys(("x-mac-cyrillic", "x-mac-ukrainian"), "mac_cyrillic"),
    "x-mac-greek": "mac_greek",
    "x-mac-turkish": "mac_turkish",
    **dict.fromkeys(("x-mac-icelandic", "x-mac-iceland"), "mac_iceland"),
    **dict.fromkeys(("x-mac-ce", "x-mac-centraleurroman"), "mac_latin2"),
    "x-mac-croatian": "mac_croatian",
    "x-mac-romanian": "mac_romanian",
    "koi8-ru": "koi8_u",
    "cskoi8r": "koi8_r",
}

# Codecs Python has that must never be used to read mail text.
_UNSAFE_CODECS = frozenset({
    "unicode-escape", "raw-unicode-escape", "undefined", "idna", "punycode", "mbcs", "oem", "charmap",
})
_UTF8 = "utf-8"


@lru_cache(maxsize=512)
def _codec_for(charset: str | None) -> str | None:
    """The Python codec name for a mail charset label, or None if unknown."""
    if not charset:
        return None
    label = charset.strip().strip("\"'").strip()
    label = label.split(";", 1)[0].split("*", 1)[0].strip().lower()  # "utf-8; format=flowed", "utf-8*en"
    if label.startswith("charset="):
        label = label[len("charset="):].strip("\"' ")
    if not label or len(label) > 64:
        return None
    candidates = [_ALIASES.get(label), label]
    if label.startswith("x-"):
        candidates += [_ALIASES.get(label[2:]), label[2:]]
    candidates.append(label.replace("-", "").replace("_", ""))
    for candidate in candidates:
        if not candidate:
            continue
        try:
            info = codecs.lookup(candidate)
        except (LookupError, ValueError, TypeError):
            continue
        if not getattr(info, "_is_text_encoding", True) or info.name in _UNSAFE_CODECS:
            return None
        return info.name
    return None


_SURROGATES = re.compile("[\ud800-\udfff]")


def _finish(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if _SURROGATES.search(text):  # utf-7/utf-16 can yield lone surrogates that break every later encode
        text = _SURROGATES.sub("\ufffd", text)
    return text


def decode_text(raw: bytes, charset: str | None) -> str:
    """Bytes of a text part (already transfer-decoded) to str. Known charsets are
    tried strictly; if that fails (or the charset is unknown): UTF-8 strictly, then the
    declared charset with replacement characters, then UTF-8 with replacement characters
    if the text is mostly UTF-8, then windows-1252.
    Never raises, never drops the text."""
    if raw is None:
        return ""
    if isinstance(raw, str):
        return _finish(raw)
    if not isinstance(raw, bytes):
        try:
            raw = bytes(raw)
        except Exception:
            return ""
    if not raw:
        return ""
    if isinstance(charset, bytes):
        charset = charset.decode("ascii", "ignore")
    codec = _codec_for(charset) if isinstance(charset, str) else None
    if codec:
        try:
            text = raw.decode(codec)
        except Exception:
            text = ""
        if text:  # a codec may also swallow bytes silently (UTF-7: a lone "+" decodes to nothing)
            return _finish(text)
    if codec != _UTF8:
        try:
            return _finish(raw.decode(_UTF8))
        except UnicodeDecodeError:
            pass
    if codec and codec not in ("ascii", "cp1252"):
        try:
            return _finish(raw.decode(codec, "replace"))
        except Exception:
            pass
    if _mostly_utf8(raw):
        # Labelled ASCII (or nothing, or unknown), but UTF-8 with a few broken bytes (a
        # character cut in two, a NUL the server turned into 0x80): read as UTF-8 with only
        # the broken bytes replaced, not all of it as windows-1252 mojibake.
        return _finish(raw.decode(_UTF8, "replace"))
    return _finish(raw.decode("cp1252", _C1_ERRORS))


_ESCAPED = re.compile("[\udc80-\udcff]")
_NON_ASCII = re.compile("[^\x00-\x7f]")


def _mostly_utf8(raw: bytes) -> bool:
    """More well-formed non-ASCII UTF-8 characters than bytes that are not UTF-8."""
    mixed = raw.decode(_UTF8, "surrogateescape")
    broken = len(_ESCAPED.findall(mixed))
    return len(_NON_ASCII.findall(mixed)) - broken > broken


def _bytes_to_str(value: bytes) -> str:
    """Raw 8-bit header bytes: UTF-8 if valid, else windows-1252."""
    try:
        return value.decode(_UTF8)
    except UnicodeDecodeError:
        return value.decode("cp1252", _C1_ERRORS)


# --------------------------------------------------------------------------
# Header values (RFC 2047)
# --------------------------------------------------------------------------

_ENCODED_WORD = re.compile(r"=\?([^?\s]*)\?([bBqQ])\?([^?]*)\?=")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_QP_ESCAPE = re.compile(rb"=([0-9A-Fa-f]{2})")
_WS_ONLY = re.compile(r"[ \t\r\n]*")


def _decode_word(encoding: str, text: str) -> bytes:
    data = text.encode(_UTF8, "surrogatepass")
    if encoding in "bB":
        return _b64_tolerant(data)
    return _QP_ESCAPE.sub(lambda m: bytes((int(m.group(1), 16),)), data.replace(b"_", b" "))


def _clean_control(text: str) -> str:
    """Whitespace controls become spaces, other control characters go, lone
    surrogates become U+FFFD."""
    out = []
    for ch in text:
        if ch in "\t\r\n\x0b\x0c\u2028\u2029\x85":
            out.append(" ")
        elif unicodedata.category(ch) == "Cc":
            continue
        elif "\ud800" <= ch <= "\udfff":
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)


_NEEDS_CLEAN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")


def decode_header_value(value: bytes | str | None) -> str:
    """A header value for display: unfolded, RFC 2047 encoded-words decoded
    (adjacent ones joined, even when a multibyte character is split between
    them; bad base64, unknown charsets and lower-case ``?q?`` tolerated), raw
    8-bit bytes read as UTF-8 else windows-1252, control characters removed."""
    if value is None:
        return ""
    try:
        if isinstance(value, (bytes, bytearray, memoryview)):
            text = _bytes_to_str(bytes(value))
        elif isinstance(value, str):
            text = value
        else:
            text = str(value)
        text = _FOLD.sub("", text).replace("\r\n", " ")
        if "=?" in text:
            text = _decode_words(text)
        if _NEEDS_CLEAN.search(text):
            text = _clean_control(text)
        return text.strip()
    except Exception:  # pragma: no cover - last resort, never fail a page on a header
        try:
            return _clean_control(str(value)).strip()
        except Exception:
            return ""


def _decode_words(text: str) -> str:
    pieces: list[str] = []
    run: list[tuple[str, bytes]] = []  # adjacent encoded words: (charset, bytes)
    pos = 0

    def flush() -> None:
        merged: list[tuple[str, bytearray]] = []
        for charset, data in run:
            if merged and merged[-1][0] == charset:
                merged[-1][1].extend(data)
            else:
                merged.append((charset, bytearray(data)))
        for charset, buffer in merged:
            pieces.append(decode_text(bytes(buffer), charset or None))
        run.clear()

    for match in _ENCODED_WORD.finditer(text):
        between = text[pos:match.start()]
        if run and not _WS_ONLY.fullmatch(between):
            flush()
        if not run:
            pieces.append(between)
        charset = match.group(1).split("*", 1)[0].lower()
        run.append((charset, _decode_word(match.group(2), match.group(3))))
        pos = match.end()
    if run:
        flush()
    pieces.append(text[pos:])
    return "".join(pieces)


# --------------------------------------------------------------------------
# Filenames
# --------------------------------------------------------------------------

# Bidirectional overrides/isolates ("invoice\u202egnp.exe"), zero-width and BOM.
_INVISIBLE = frozenset("\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff")
_WINDOWS_BAD = frozenset('<>:"|?*')
_RESERVED = re.compile(r"(?i)^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)(\..*)?$")
_MAX_FILENAME_BYTES = 200
_EXT = re.compile(r"\.[A-Za-z0-9][A-Za-z0-9_+-]{0,15}$")


def _strip_filename_chars(name: str) -> str:
    return "".join(
        ch for ch in name
        if ch not in _INVISIBLE and unicodedata.category(ch) not in ("Cc", "Cs")
    )


def _last_path_component(name: str) -> str:
    parts = [p for p in re.split(r"[/\\]", name) if p.strip()]
    return parts[-1] if parts else ""


def _truncate_utf8(text: str, limit: int) -> str:
    encoded = text.encode(_UTF8)
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode(_UTF8, "ignore")


def safe_filename(name: str | None, *, default: str = "attachment") -> str:
    """A filename fit for ``Content-Disposition`` and any file system: the last
    path component only, no control or bidi-override characters, no characters
    Windows refuses, no leading dots, at most 200 UTF-8 bytes (the extension is
    kept), never empty (``default`` then)."""
    try:
        text = name if isinstance(name, str) else (_bytes_to_str(name) if isinstance(name, bytes) else "")
        text = unicodedata.normalize("NFC", _strip_filename_chars(text))
        text = _last_path_component(text)
        text = "".join("_" if ch in _WINDOWS_BAD else ch for ch in text)
        text = re.sub(r"\s+", " ", text).strip()
        text = text.lstrip(". ").rstrip(". ")
        if _RESERVED.match(text):
            text = "_" + text
        if len(text.encode(_UTF8)) > _MAX_FILENAME_BYTES:
            ext_match = _EXT.search(text)
            ext = ext_match.group(0) if ext_match else ""
            stem = text[: len(text) - len(ext)] if ext else text
            text = _truncate_utf8(stem, _MAX_FILENAME_BYTES - len(ext.encode(_UTF8))).rstrip(". ") + ext
        if text and text.strip(". _"):
            return text
    except Exception:  # pragma: no cover - defensive
        pass
    if default != "attachment":
        return safe_filename(default)
    return "attachment"
