"""Read aloud against Qt's text-to-speech API with its ``mock`` engine (no audio, no
daemon). speech-dispatcher is never used here: without an audio server it hangs, and every
later engine constructor blocks until its daemon is killed.
Skipped, saying why, without PySide6-Addons."""

from __future__ import annotations

import pytest

from reader.ui.words.speech import ADDONS_NOTE, ReadAloud, speech_missing

pytestmark = pytest.mark.skipif(
    bool(speech_missing()), reason="QtTextToSpeech is missing (PySide6-Addons not installed)"
)


def _collect(reader: ReadAloud) -> list[object]:
    events: list[object] = []
    reader.sentenceStarted.connect(lambda i: events.append(i))
    reader.finished.connect(lambda: events.append("end"))
    reader.note.connect(lambda text: events.append(text))
    return events


def _ready(qtbot, reader: ReadAloud) -> None:
    """Make the engine (first use: in its own thread) by saying nothing in English."""
    with qtbot.waitSignal(reader.finished, timeout=10_000):
        assert reader.speak([""], "en")
    assert reader.ready


def test_sentences_are_said_one_after_the_other(qtbot) -> None:
    reader = ReadAloud("mock")
    events = _collect(reader)
    asked: list[tuple[str, str, float]] = []
    reader._say.connect(lambda _n, text, locale, rate: asked.append((text, locale, rate)))
    reader.rate = 5
    assert reader.speak(["Hello there.", "", "It is fine today."], "en")
    assert reader.speaking
    qtbot.waitUntil(lambda: "end" in events, timeout=10_000)
    assert events == [0, 2, "end"]  # the empty one is skipped
    assert [(text, locale[:2], rate) for text, locale, rate in asked] == [
        ("Hello there.", "en", 0.5), ("It is fine today.", "en", 0.5)]
    assert not reader.speaking


def test_the_engine_is_made_off_the_gui_thread(qtbot, monkeypatch) -> None:
    import threading

    from reader.ui.words import speech

    made_in: list[str] = []
    real = speech.make_engine

    def recording(name):  # type: ignore[no-untyped-def]
        made_in.append(threading.current_thread().name)
        return real(name)

    monkeypatch.setattr(speech, "make_engine", recording)
    reader = ReadAloud("mock")
    events = _collect(reader)
    _ready(qtbot, reader)
    assert made_in == ["speech-engine"]
    with qtbot.waitSignal(reader.finished, timeout=10_000):
        assert reader.speak(["Said in that thread."], "en")
    assert made_in == ["speech-engine"]  # made once
    assert events == ["end", 0, "end"]


def test_stop_ends_at_once(qtbot) -> None:
    reader = ReadAloud("mock")
    _ready(qtbot, reader)
    events = _collect(reader)
    reader.speak(["One sentence here.", "Another sentence there."], "en")
    reader.stop()
    assert events == [0, "end"] and not reader.speaking
    qtbot.wait(200)
    assert events == [0, "end"]  # nothing more after the stop
    # Said again at once: the state the stop caused does not cut the new first sentence.
    with qtbot.waitSignal(reader.finished, timeout=10_000):
        reader.speak(["One sentence here.", "Another sentence there."], "en")
    assert events == [0, "end", 0, 1, "end"]


def test_stop_while_the_engine_starts(qtbot) -> None:
    reader = ReadAloud("mock")
    events = _collect(reader)
    assert reader.speak(["One sentence here."], "en")
    reader.stop()
    assert events == ["end"] and not reader.speaking
    qtbot.waitUntil(lambda: reader.ready, timeout=10_000)
    qtbot.wait(200)
    assert events == ["end"]  # the engine is kept, nothing is said


def test_no_voice_for_the_language_names_the_packages(qtbot) -> None:
    note = ("No French voice is installed for read aloud: install speech-dispatcher "
            "and speech-dispatcher-espeak-ng (espeak-ng) (the system's packages), "
            "then restart the app.")
    reader = ReadAloud("mock")  # the mock engine has no French
    events = _collect(reader)
    assert reader.speak(["Bonjour à tous."], "fr")  # the engine starts first
    qtbot.waitUntil(lambda: "end" in events, timeout=10_000)
    assert events == [note, "end"] and not reader.speaking
    events.clear()
    assert not reader.speak(["Bonjour à tous."], "fr")  # known now: said at once
    assert events == [note]


@pytest.mark.qt_log_ignore("Text-to-speech plug-in .* is not supported")
def test_an_engine_that_cannot_start_is_a_note(qtbot) -> None:
    reader = ReadAloud("no-such-engine")
    events = _collect(reader)
    assert reader.speak(["Hello."], "en")
    qtbot.waitUntil(lambda: "end" in events, timeout=10_000)
    assert len(events) == 2 and str(events[0]).startswith("Read aloud is not available:")
    assert "mock" in str(events[0])  # the engines there are, named
    assert not reader.speak(["Hello."], "en")  # the same line again, at once
    assert events[2] == events[0] and len(events) == 3


def test_the_note_without_the_module() -> None:
    assert "PySide6-Addons" in ADDONS_NOTE and "[speech]" in ADDONS_NOTE


@pytest.mark.parametrize("ending", ["quit", "exit"])
def test_leaving_while_speaking_ends_cleanly(ending: str, tmp_path) -> None:
    """The app quits (or the interpreter exits) mid-sentence: the engine's thread is ended,
    its engine deleted there, and the process exits 0 (it used to crash in Qt's teardown)."""
    import subprocess
    import sys
    import textwrap
    from pathlib import Path

    script = tmp_path / "leave.py"
    script.write_text(textwrap.dedent(f"""
        import time
        from PySide6.QtCore import QTimer
        from PySide6.QtWidgets import QApplication
        app = QApplication([])
        from reader.ui.words.speech import ReadAloud
        reader = ReadAloud("mock")
        reader.speak(["A long sentence to say, number %d, with words." % i
                      for i in range(50)], "en")
        if {ending!r} == "quit":
            QTimer.singleShot(300, app.quit)
            app.exec()
            assert not reader.speaking  # ended with the application
        else:
            end = time.time() + 0.3
            while time.time() < end:
                app.processEvents()
            assert reader.speaking  # still mid-sentence when the interpreter exits
        print("left while speaking")
    """))
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True,
                            timeout=60, cwd=root,
                            env={**__import__("os").environ, "PYTHONPATH": str(root),
                                 "QT_QPA_PLATFORM": "offscreen"})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "left while speaking" in result.stdout
