"""Issue 20: the app's folders and files are the user's alone, and what is read back from
them is checked on the opened file: modes under umask 000, files of other users or writable
by others refused in one line, FIFOs that cannot hang a read, system folders listed within
bounds and cancelled at once."""

from __future__ import annotations

import os
import stat
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from langdetect.detector_factory import PROFILES_DIRECTORY

from reader import cli, paths, private_files
from reader.core.language import langdetect_profiles, langid
from reader.core.library import listing as library_module
from reader.core.library import listing_memo
from reader.core.library.listing import ListingCancelled, load_library
from reader.core.library.user_folder import add_file
from reader.core.text import encoding as decoding
from reader.core.translation.cache import TranslationCache
from tests.other_user import other_user

ARTICLE = (
    "Le conseil municipal vote le budget\n\n"
    "Le conseil municipal a voté mardi soir un nouveau budget pour la ville. Les habitants "
    "pourront donner leur avis lors d'une réunion publique.\n"
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture(autouse=True)
def fresh_refusals() -> Iterator[None]:
    private_files.take_refusals()
    private_files._reported.clear()
    yield
    private_files.take_refusals()
    private_files._reported.clear()


@pytest.fixture
def umask_000() -> Iterator[None]:
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "budget.txt").write_text(ARTICLE, encoding="utf-8")
    return folder


@pytest.fixture(autouse=True)
def settled_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files count as settled at once, so the listing memo keeps them (see listing_memo)."""
    monkeypatch.setattr(listing_memo, "SETTLED_NS", 0)


def _within(seconds: float, work: Callable[[], object]) -> object:
    """``work()``'s result, failing (not hanging) when it takes longer than ``seconds``."""
    outcome: list[object] = []
    thread = threading.Thread(target=lambda: outcome.append(work()), daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    assert outcome, "raised (see the thread's traceback above)"
    return outcome[0]


# -- modes ----------------------------------------------------------------------------------------


def test_folders_0700_and_files_0600_whatever_the_umask(
    umask_000: None, isolated_xdg: dict[str, Path], library: Path, qapp  # type: ignore[no-untyped-def]
) -> None:
    from reader.ui.settings import Settings

    # A listing twice (memo and language memo written, then read), and langdetect's profile
    # copy (written by a process's first detection: another test may have been this one's).
    langdetect_profiles.load(Path(PROFILES_DIRECTORY), langid.PROFILE_SETS["cyrillic"] or (),
                             paths.app_cache_dir())
    first = load_library([library])
    again = load_library([library], paragraph_languages=True)
    assert first[0].ok and again[0].ok
    cache = TranslationCache()
    cache.close()
    settings = Settings()
    settings.set_library_folders([library])
    settings.sync()
    added = add_file(library / "budget.txt")
    app_cache = isolated_xdg["XDG_CACHE_HOME"] / "bilingual-reader"
    config = isolated_xdg["XDG_CONFIG_HOME"] / "bilingual-reader"
    data = isolated_xdg["XDG_DATA_HOME"] / "bilingual-reader"
    folders = [app_cache, config, data, data / "library", added.path.parent / ".originals"]
    assert {str(f): _mode(f) for f in folders} == {str(f): 0o700 for f in folders}
    files = [p for folder in folders for p in folder.iterdir() if p.is_file()]
    names = {p.name for p in files}
    assert {"listing.json", "listing-paragraphs.json", "languages.json", "translations.sqlite3",
            "settings.ini", added.path.name} <= names
    assert any(n.startswith("langdetect-profiles-") for n in names)
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}


def test_an_app_folder_of_ours_left_open_is_tightened(isolated_xdg: dict[str, Path],
                                                      library: Path) -> None:
    app_cache = isolated_xdg["XDG_CACHE_HOME"] / "bilingual-reader"
    app_cache.mkdir(mode=0o777)
    app_cache.chmod(0o777)  # as an earlier version made it under umask 000
    load_library([library])
    assert _mode(app_cache) == 0o700
    assert private_files.take_refusals() == []


# -- refusals -------------------------------------------------------------------------------------


def _memo(isolated_xdg: dict[str, Path]) -> Path:
    return isolated_xdg["XDG_CACHE_HOME"] / "bilingual-reader" / "listing.json"


def _list(library: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = cli.main(["list", str(library)])
    out, err = capsys.readouterr()
    return code, out, err


def test_a_memo_others_can_write_is_refused_in_one_line(
    isolated_xdg: dict[str, Path], library: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    assert _list(library, capsys)[0] == 0
    memo = _memo(isolated_xdg)
    memo.chmod(0o666)  # o+w: someone else may have written it
    parsed: list[Path] = []
    real = decoding.read_text
    monkeypatch.setattr(decoding, "read_text", lambda p, **k: parsed.append(p) or real(p, **k))
    code, out, err = _list(library, capsys)
    assert code == 0
    assert "Le conseil municipal vote le budget" in out  # listed correctly, read afresh
    assert err == (f"bilingual-reader: warning: ignored {memo}: writable by other users "
                   "(mode 666)\n")
    # The next save replaced it with a private one: no refusal any more.
    assert _mode(memo) == 0o600
    assert _list(library, capsys)[2] == ""


def test_a_memo_owned_by_another_user_is_refused(
    isolated_xdg: dict[str, Path], library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    user = other_user()
    assert _list(library, capsys)[0] == 0
    memo = _memo(isolated_xdg)
    os.chown(memo, user.pw_uid, user.pw_gid)
    code, out, err = _list(library, capsys)
    assert code == 0 and "Le conseil municipal vote le budget" in out
    assert err == (f"bilingual-reader: warning: ignored {memo}: owned by another user "
                   f"(uid {user.pw_uid})\n")


def test_a_cache_folder_of_another_user_is_refused(
    isolated_xdg: dict[str, Path], library: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A shared XDG_CACHE_HOME where another user made ``bilingual-reader/`` first."""
    user = other_user()
    app_cache = isolated_xdg["XDG_CACHE_HOME"] / "bilingual-reader"
    app_cache.mkdir()
    os.chown(app_cache, user.pw_uid, user.pw_gid)
    code, out, err = _list(library, capsys)
    assert code == 0 and "Le conseil municipal vote le budget" in out
    assert err == (f"bilingual-reader: warning: ignored {app_cache}: owned by another user "
                   f"(uid {user.pw_uid})\n")
    assert list(app_cache.iterdir()) == []  # nothing of ours written into it


def test_a_translation_cache_others_can_write_is_refused(isolated_xdg: dict[str, Path]) -> None:
    TranslationCache().close()
    path = isolated_xdg["XDG_CACHE_HOME"] / "bilingual-reader" / "translations.sqlite3"
    path.chmod(0o664)  # group-writable
    cache = TranslationCache()
    assert cache.in_memory
    assert cache.warnings == [
        f"ignored {path}: writable by other users (mode 664); translations are kept in "
        "memory for this session only"
    ]
    assert private_files.take_refusals() == []  # said once, by the cache
    cache.close()
    assert _mode(path) == 0o664  # left as it was: it may hold the reader's post-edits


def test_a_settings_file_of_another_user_is_refused(isolated_xdg: dict[str, Path], qapp) -> None:  # type: ignore[no-untyped-def]
    from reader.ui import settings as keys
    from reader.ui.settings import Settings

    user = other_user()
    path = isolated_xdg["XDG_CONFIG_HOME"] / "bilingual-reader" / "settings.ini"
    path.parent.mkdir()
    path.write_text("[preferences]\ntarget_language=de\n", encoding="utf-8")
    os.chown(path, user.pw_uid, user.pw_gid)
    settings = Settings()
    assert settings.warnings == [
        f"ignored {path}: owned by another user (uid {user.pw_uid}); defaults are used and "
        "changes are not saved"
    ]
    assert settings.get(keys.TARGET_LANGUAGE) == keys.TARGET_LANGUAGE.default
    settings.set(keys.TARGET_LANGUAGE, "es")
    settings.sync()
    assert path.read_text(encoding="utf-8") == "[preferences]\ntarget_language=de\n"


# -- FIFOs ----------------------------------------------------------------------------------------


def test_a_fifo_as_settings_file_does_not_hang(isolated_xdg: dict[str, Path], qapp) -> None:  # type: ignore[no-untyped-def]
    from reader.ui.settings import Settings

    path = isolated_xdg["XDG_CONFIG_HOME"] / "bilingual-reader" / "settings.ini"
    path.parent.mkdir()
    os.mkfifo(path)
    settings = _within(20, Settings)
    assert isinstance(settings, Settings)
    assert settings.warnings == [
        f"ignored {path}: not a regular file; defaults are used and changes are not saved"
    ]


@pytest.mark.parametrize("name", ["listing.json", "languages.json"])
def test_a_fifo_as_a_memo_is_a_miss(isolated_xdg: dict[str, Path], library: Path,
                                    name: str) -> None:
    app_cache = isolated_xdg["XDG_CACHE_HOME"] / "bilingual-reader"
    app_cache.mkdir()
    os.mkfifo(app_cache / name)
    articles = _within(30, lambda: load_library([library]))
    assert isinstance(articles, list) and articles[0].ok
    assert articles[0].title == "Le conseil municipal vote le budget"
    assert private_files.take_refusals() == [f"ignored {app_cache / name}: not a regular file"]


def test_a_file_swapped_for_a_fifo_after_its_check_does_not_hang(
    library: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The race the type check alone cannot close: the path is a file when checked and a
    FIFO (no writer: an open without O_NONBLOCK would wait forever) when opened."""
    target = library / "budget.txt"
    real_check = decoding._check_path

    def check_then_swap(path: Path) -> os.stat_result:
        info = real_check(path)
        if path == target:
            target.unlink()
            os.mkfifo(target)
        return info

    monkeypatch.setattr(decoding, "_check_path", check_then_swap)
    code = _within(30, lambda: cli.main(["list", "--json", str(library)]))
    out, _err = capsys.readouterr()
    assert code == 0
    assert '"error": "not a file (named pipe)"' in out


# -- system folders -------------------------------------------------------------------------------


def test_listing_proc_is_one_row_at_once() -> None:
    """/proc (whose /proc/PID/root and cwd lead back to /) is not walked at all."""
    articles = _within(10, lambda: load_library([Path("/proc"), Path("/sys")],
                                                remember_languages=False))
    assert isinstance(articles, list)
    assert [(str(a.path), a.error) for a in articles] == [
        ("/proc", "a system folder (proc): not listed"),
        ("/sys", "a system folder (sysfs): not listed"),
    ]


def test_listing_a_large_system_folder_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(library_module, "MAX_SCAN_ENTRIES", 3000)  # 100,000 in use
    articles = _within(120, lambda: load_library([Path("/usr")], remember_languages=False))
    assert isinstance(articles, list)
    stopped = [a for a in articles if a.error and a.error.startswith("listing stopped")]
    assert [a.error for a in stopped] == [
        "listing stopped after 3,000 entries (is this a system folder?)"
    ]


def test_listing_a_system_folder_stops_when_cancelled() -> None:
    started = time.monotonic()
    asked: list[float] = []

    def cancelled() -> bool:
        asked.append(time.monotonic())
        return time.monotonic() - started > 0.3

    def work() -> object:
        try:
            load_library([Path("/usr"), Path("/proc")], remember_languages=False,
                         is_cancelled=cancelled)
        except ListingCancelled:
            return time.monotonic()
        return None

    stopped = _within(30, work)
    assert isinstance(stopped, float)
    assert stopped - started < 2.0  # asked every few hundred entries, not per folder
