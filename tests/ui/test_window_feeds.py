"""The window's feeds: the Feeds group above the library with unread counts, F5 refreshing on
a worker, the items listed as library articles and joining the background translation,
choosing a feed, the interval from Preferences."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from reader.core.library.feed_store import FeedStore
from reader.ui import settings as keys
from reader.ui.library_model import Status
from reader.ui.panels.feeds_panel import ALL_ARTICLES
from tests.data.feed_site import Feed, FeedSite, Item, rss2


@pytest.fixture
def site(news_server, monkeypatch) -> FeedSite:
    monkeypatch.setattr("reader.core.library.feeds.HOST_DELAY", 0.0)
    return FeedSite(news_server)


def _rows(window) -> list[str]:  # type: ignore[no-untyped-def]
    group = window.feeds.group
    return [group.list.item(row).text() for row in range(group.list.count())]


def _titles(window) -> list[str]:  # type: ignore[no-untyped-def]
    proxy = window.library.proxy
    return [window.library.model.article(proxy.key_at(row)).display_title
            for row in range(proxy.rowCount())]


def test_f5_refreshes_and_the_feeds_group_counts_unread(
    install_fr_en, qtbot, make_window, site
) -> None:
    for n in (1, 2):
        site.page(f"/{n}.html", f"Nouvelle du jour {n}")
    url = site.feed("/f.xml", Feed(rss2(site.url, "Le Courrier", [
        Item("2", "/2.html", "Nouvelle du jour 2"), Item("1", "/1.html", "Nouvelle du jour 1")])))
    FeedStore().add(url, "Le Courrier")
    window = make_window()
    samples = window.library.model.rowCount()
    assert window.feeds.group.isVisibleTo(window) and _rows(window) == [
        ALL_ARTICLES, "Le Courrier"]

    with qtbot.waitSignal(window.feeds.refresher.finished, timeout=30_000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: window.library.model.rowCount() == samples + 2, timeout=20_000)
    assert window.last_message == "Feeds refreshed: 2 new articles."
    qtbot.waitUntil(lambda: _rows(window)[1] == "Le Courrier (2 unread)", timeout=10_000)

    # Choosing the feed lists its items only; All articles lists everything again.
    window.feeds.group.list.setCurrentRow(1)
    assert sorted(_titles(window)) == ["Nouvelle du jour 1", "Nouvelle du jour 2"]
    new_keys = [window.library.proxy.key_at(row) for row in range(2)]
    # The new items join the background translation like any article.
    model, background = window.library.model, window.background
    qtbot.waitUntil(lambda: all(
        key in background.queue() or key == background.current_key()
        or model.entry(key).summary.status is Status.FULL for key in new_keys), timeout=30_000)
    # Read state: marking one read lowers the count.
    window.library.toggle_read(new_keys[0])
    assert _rows(window)[1] == "Le Courrier (1 unread)"
    window.feeds.group.list.setCurrentRow(0)
    assert window.library.proxy.rowCount() == samples + 2

    # F5 again: nothing new, nothing listed twice.
    with qtbot.waitSignal(window.feeds.refresher.finished, timeout=30_000):
        qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.last_message == "Feeds refreshed: 0 new articles."
    assert window.library.model.rowCount() == samples + 2


def test_f5_without_feeds_says_how_to_follow_one(qtbot, make_window) -> None:
    window = make_window()
    assert window.feeds.group.isHidden()
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert window.last_message == ("No feeds to refresh: follow one with "
                                   "`bilingual-reader feeds add URL`.")
    assert not window.feeds.refresher.busy


def test_the_interval_comes_from_preferences(qtbot, make_window) -> None:
    window = make_window()
    assert not window.feeds.group.timer.isActive()  # off by default
    dialog = window.open_preferences()
    dialog.feed_minutes.setValue(30)
    assert window.settings.get(keys.FEED_REFRESH_MINUTES) == 30
    assert window.feeds.group.timer.interval() == 30 * 60_000
    dialog.feed_minutes.setValue(0)
    assert not window.feeds.group.timer.isActive()
    assert dialog.feed_minutes.text() == "Off (F5 refreshes)"
