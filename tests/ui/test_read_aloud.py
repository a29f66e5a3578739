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


def test_sentences_are_said_one_after_the_other(qtbot) -> None:
    reader = ReadAloud("mock")
    events = _collect(reader)
    reader.rate = 5
    assert reader.speak(["Hello there.", "", "It is fine today."], "en")
    assert reader.speaking
    qtbot.waitUntil(lambda: "end" in events, timeout=10_000)
    assert events == [0, 2, "end"]  # the empty one is skipped
    assert reader.engine().rate() == pytest.approx(0.5)
    assert reader.engine().locale().language().name == "English"
    assert not reader.speaking


def test_stop_ends_at_once(qtbot) -> None:
    reader = ReadAloud("mock")
    events = _collect(reader)
    reader.speak(["One sentence here.", "Another sentence there."], "en")
    reader.stop()
    assert events == [0, "end"] and not reader.speaking
    qtbot.wait(200)
    assert events == [0, "end"]  # nothing more after the stop


def test_no_voice_for_the_language_names_the_packages(qtbot) -> None:
    reader = ReadAloud("mock")  # the mock engine has no French
    events = _collect(reader)
    assert not reader.speak(["Bonjour à tous."], "fr")
    assert events == ["No French voice is installed for read aloud: install speech-dispatcher "
                      "and speech-dispatcher-espeak-ng (espeak-ng) (the system's packages), "
                      "then restart the app."]


@pytest.mark.qt_log_ignore("Text-to-speech plug-in .* is not supported")
def test_an_engine_that_cannot_start_is_a_note(qtbot) -> None:
    reader = ReadAloud("no-such-engine")
    events = _collect(reader)
    assert not reader.speak(["Hello."], "en")
    assert len(events) == 1 and str(events[0]).startswith("Read aloud is not available:")
    assert "mock" in str(events[0])  # the engines there are, named


def test_the_note_without_the_module() -> None:
    assert "PySide6-Addons" in ADDONS_NOTE and "[speech]" in ADDONS_NOTE
