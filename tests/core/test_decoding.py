"""Bytes → text: encodings, newlines, and clean refusals of what is not an article."""

from __future__ import annotations

import codecs
import os
from pathlib import Path

import pytest

from reader.core.text import encoding as decoding
from reader.core.text.encoding import (
    MAX_FILE_BYTES,
    DecodedText,
    UnreadableFileError,
    decode_bytes,
    read_text,
)

SAMPLE = "Le ministre de l’Économie a déclaré : “Nous réduirons le déficit…”\n\nSuite à l’été."


def _write(tmp_path: Path, data: bytes, name: str = "a.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _error(path: Path, **kwargs: int) -> str:
    with pytest.raises(UnreadableFileError) as info:
        read_text(path, **kwargs)
    message = info.value.message
    assert message == str(info.value)
    assert "\n" not in message and message.strip() == message and message
    return message


# --------------------------------------------------------------------------- encodings


def test_utf8_without_bom(tmp_path: Path) -> None:
    decoded = read_text(_write(tmp_path, SAMPLE.encode("utf-8")))
    assert decoded == DecodedText(SAMPLE, "utf-8")


def test_utf8_with_bom_strips_the_bom(tmp_path: Path) -> None:
    decoded = read_text(_write(tmp_path, codecs.BOM_UTF8 + SAMPLE.encode("utf-8")))
    assert decoded.text == SAMPLE
    assert not decoded.text.startswith("\ufeff")
    assert decoded.encoding == "utf-8-sig"


@pytest.mark.parametrize(
    ("bom", "codec"),
    [
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
        (codecs.BOM_UTF32_LE, "utf-32-le"),
        (codecs.BOM_UTF32_BE, "utf-32-be"),
    ],
)
def test_utf16_and_utf32_with_bom(tmp_path: Path, bom: bytes, codec: str) -> None:
    decoded = read_text(_write(tmp_path, bom + SAMPLE.encode(codec)))
    assert decoded.text == SAMPLE
    assert decoded.encoding == codec


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised_not_refused_as_binary(
    tmp_path: Path, codec: str
) -> None:
    decoded = read_text(_write(tmp_path, SAMPLE.encode(codec)))
    assert decoded.text == SAMPLE
    assert decoded.encoding == codec


def test_crlf_and_lone_cr_become_lf(tmp_path: Path) -> None:
    crlf = read_text(_write(tmp_path, SAMPLE.replace("\n", "\r\n").encode(), "crlf.txt"))
    cr = read_text(_write(tmp_path, SAMPLE.replace("\n", "\r").encode(), "cr.txt"))
    mixed = read_text(_write(tmp_path, b"Un\r\ndeux\rtrois\nquatre", "mixed.txt"))
    assert crlf.text == SAMPLE
    assert cr.text == SAMPLE
    assert mixed.text == "Un\ndeux\ntrois\nquatre"


def test_latin1_e_acute_is_decoded_not_mojibake(tmp_path: Path) -> None:
    data = "Le président a été réélu à Genève.".encode("latin-1")
    assert b"\xe9" in data
    decoded = read_text(_write(tmp_path, data))
    assert decoded.text == "Le président a été réélu à Genève."
    assert decoded.encoding in ("cp1252", "latin-1")


def test_cp1252_curly_quotes_and_ellipsis(tmp_path: Path) -> None:
    # 0x92 ’, 0x93 “, 0x94 ”, 0x85 …, 0xE9 é: what Windows editors write.
    data = b"L\x92\xe9t\xe9 : \x93Enfin\x85\x94 a-t-il dit."
    decoded = read_text(_write(tmp_path, data))
    assert decoded.text == "L’été : “Enfin…” a-t-il dit."
    assert decoded.encoding == "cp1252"


def test_utf8_is_tried_first_so_utf8_accents_are_not_mojibake(tmp_path: Path) -> None:
    decoded = read_text(_write(tmp_path, "déjà vu – l’été".encode()))
    assert decoded.text == "déjà vu – l’été"
    assert "Ã" not in decoded.text


def test_bytes_undefined_in_cp1252_fall_back_to_latin1() -> None:
    # 0x81 is undefined in cp1252: strict cp1252 fails, latin-1 never does.
    decoded = decode_bytes(b"Un texte ordinaire " * 10 + b"\x81 \xe9t\xe9")
    assert decoded.encoding == "latin-1"
    assert decoded.text.endswith("\x81 été")


# --------------------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("data", "label"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "JPEG image"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3", "PDF document"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP archive"),
        (b"GIF89a\x01\x00\x01\x00", "GIF image"),
        (b"GIF87a\x01\x00\x01\x00", "GIF image"),
    ],
)
def test_magic_numbers_are_refused(tmp_path: Path, data: bytes, label: str) -> None:
    assert _error(_write(tmp_path, data)) == f"binary file ({label}), not an article"


def test_nul_bytes_in_a_non_utf16_file_are_refused(tmp_path: Path) -> None:
    data = b"Un texte presque normal " * 50 + b"\x00\x01\x02" + b"fin" * 40
    assert "NUL" in _error(_write(tmp_path, data))


def test_random_binary_junk_is_refused(tmp_path: Path) -> None:
    data = bytes((i * 7919 + 13) % 256 for i in range(5000))
    assert _error(_write(tmp_path, data)).startswith("binary file")


def test_a_high_ratio_of_control_characters_is_refused(tmp_path: Path) -> None:
    data = b"abc\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 100
    assert _error(_write(tmp_path, data)) == "binary file (control characters), not an article"


def test_a_stray_control_character_in_prose_is_tolerated(tmp_path: Path) -> None:
    data = ("Un long texte tout à fait ordinaire. " * 50 + "\x07 fin.").encode()
    assert read_text(_write(tmp_path, data)).text.endswith("\x07 fin.")


@pytest.mark.parametrize(
    "data",
    [b"", b"   \n\n\t  \r\n ", codecs.BOM_UTF8, codecs.BOM_UTF16_LE + " \n".encode("utf-16-le")],
)
def test_empty_and_whitespace_only(tmp_path: Path, data: bytes) -> None:
    assert _error(_write(tmp_path, data)) == "empty file"


def test_size_cap(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:  # sparse: costs no disk
        handle.truncate(MAX_FILE_BYTES + 1024 * 1024)
    assert _error(path) == "file too large (65.0 MB, limit 64.0 MB)"
    small = _write(tmp_path, b"x" * 2048, "small.txt")
    assert _error(small, max_bytes=1024) == "file too large (2 kB, limit 1 kB)"
    assert read_text(small, max_bytes=4096).text == "x" * 2048


@pytest.fixture
def grows_after_stat(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A 5-byte file that has grown to 5,000 bytes by the time it is opened (after stat)."""
    path = _write(tmp_path, b"court")
    real_open = decoding._open_binary

    def grow_then_open(target: Path):  # type: ignore[no-untyped-def]
        target.write_bytes(b"y" * 5000)
        return real_open(target)

    monkeypatch.setattr(decoding, "_open_binary", grow_then_open)
    return path


def test_file_growing_past_the_cap_after_stat(grows_after_stat: Path) -> None:
    assert _error(grows_after_stat, max_bytes=1000).startswith("file too large")


def test_file_growing_within_the_cap_after_stat_is_read_whole(grows_after_stat: Path) -> None:
    """Only the size stat saw is asked for first; a file that grew is read on to its end."""
    assert read_text(grows_after_stat, max_bytes=6000).text == "y" * 5000


def test_directory_named_like_an_article(tmp_path: Path) -> None:
    folder = tmp_path / "x.txt"
    folder.mkdir()
    assert _error(folder) == "not a file (directory)"


def test_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.txt"
    os.symlink(loop.name, loop)
    assert _error(loop) == "symbolic link loop"


def test_missing_file_and_broken_symlink(tmp_path: Path) -> None:
    assert _error(tmp_path / "absent.txt") == "no such file or directory"
    link = tmp_path / "dangling.txt"
    os.symlink("nowhere.txt", link)
    assert _error(link) == "broken symbolic link"


def test_file_vanishing_between_stat_and_open(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, b"Bonjour")
    real_open = decoding._open_binary

    def vanish_then_open(target: Path):  # type: ignore[no-untyped-def]
        target.unlink()
        return real_open(target)

    monkeypatch.setattr(decoding, "_open_binary", vanish_then_open)
    assert _error(path) == "file vanished before it could be read"


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, b"Bonjour")
    if os.geteuid() != 0:  # root reads anything: simulate the refusal instead
        path.chmod(0)
        assert _error(path) == "permission denied"
        path.chmod(0o644)

    def refuse(target: Path):  # type: ignore[no-untyped-def]
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(decoding, "_open_binary", refuse)
    assert _error(path) == "permission denied"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    assert _error(fifo) == "not a file (named pipe)"
