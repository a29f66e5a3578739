"""The Feeds group (real widgets, a real worker, a loopback server): unread counts, choosing
a feed, a refresh with progress off the GUI thread, Cancel, the interval timer."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from reader.core.library.feed_store import FeedStore
from reader.ui.panels.feeds_panel import ALL_ARTICLES, FeedRefresh, FeedsGroup, RefreshOutcome
from reader.ui.window.jobs import JobRouter
from reader.ui.workers import WorkerThread
from tests.data.feed_site import Feed, FeedSite, Item, rss2


@pytest.fixture
def worker() -> Iterator[JobRouter]:
    router = JobRouter(WorkerThread("test-feeds"))
    yield router
    router.shutdown(2000)


@pytest.fixture
def site(news_server, monkeypatch) -> FeedSite:
    monkeypatch.setattr("reader.core.library.feeds.HOST_DELAY", 0.0)
    return FeedSite(news_server)


def _rows(group: FeedsGroup) -> list[str]:
    return [group.list.item(row).text() for row in range(group.list.count())]


def test_refresh_runs_off_the_gui_thread_and_counts_unread(qtbot, worker, site,
                                                          monkeypatch) -> None:
    for n in (1, 2):
        site.page(f"/{n}.html", f"Article {n}")
    url = site.feed("/f.xml", Feed(rss2(site.url, "Le Courrier", [
        Item("2", "/2.html", "Article 2"), Item("1", "/1.html", "Article 1")])))
    FeedStore().add(url, "Le Courrier")
    read: set[str] = set()
    refresh = FeedRefresh(worker, timeout=5)
    group = FeedsGroup(refresh, lambda key: key in read)
    qtbot.addWidget(group)
    group.reload()
    assert _rows(group) == [ALL_ARTICLES, "Le Courrier"]
    chosen: list[object] = []
    group.feedChosen.connect(chosen.append)
    # Where the refresh runs: the parser and the library's add note their thread.
    import reader.core.library.feeds as feeds_module

    threads: list[threading.Thread] = []
    for name in ("parse_feed", "add_url"):
        original = getattr(feeds_module, name)

        def noting(*args, _original=original, **kwargs):  # type: ignore[no-untyped-def]
            threads.append(threading.current_thread())
            return _original(*args, **kwargs)

        monkeypatch.setattr(feeds_module, name, noting)
    with qtbot.waitSignal(refresh.finished, timeout=20_000) as done:
        group.refresh_button.click()
        assert group.bar.isVisibleTo(group) and not group.refresh_button.isEnabled()
    outcome: RefreshOutcome = done.args[0]
    assert (outcome.added, outcome.failed, outcome.cancelled) == (2, [], False)
    assert outcome.describe() == "Feeds refreshed: 2 new articles."
    assert threading.main_thread() not in threads and len(threads) == 3
    assert not group.bar.isVisibleTo(group) and group.refresh_button.isEnabled()

    group.reload()
    assert _rows(group) == [ALL_ARTICLES, "Le Courrier (2 unread)"]
    group.list.setCurrentRow(1)
    keys = chosen[-1]
    assert isinstance(keys, set) and len(keys) == 2
    read.add(sorted(keys)[0])
    group.update_counts()
    assert _rows(group)[1] == "Le Courrier (1 unread)"
    read.update(keys)
    group.update_counts()
    assert _rows(group)[1] == "Le Courrier"
    group.list.setCurrentRow(0)
    assert chosen[-1] is None


def test_a_failed_feed_is_marked_and_said_in_one_line(qtbot, worker, site) -> None:
    url = site.feed("/down.xml", Feed(b"", status=500))
    FeedStore().add(url, "En panne")
    refresh = FeedRefresh(worker, timeout=5)
    group = FeedsGroup(refresh, lambda key: False)
    qtbot.addWidget(group)
    with qtbot.waitSignal(refresh.finished, timeout=20_000) as done:
        assert refresh.refresh()
        assert not refresh.refresh()  # one at a time
    assert done.args[0].describe() == (
        f"Feeds refreshed: 0 new articles. 1 feed failed: En panne: {url}: HTTP 500 "
        "Internal Server Error")
    group.reload()
    assert _rows(group) == [ALL_ARTICLES, "⚠ En panne"]
    assert "HTTP 500" in group.list.item(1).toolTip()


def test_cancel_stops_a_refresh(qtbot, worker, site) -> None:
    gate = threading.Event()

    def slow(handler) -> None:  # type: ignore[no-untyped-def]
        gate.wait(10)

    site.server.routes["/slow.xml"] = slow
    FeedStore().add(site.url + "/slow.xml")
    refresh = FeedRefresh(worker, timeout=30)
    group = FeedsGroup(refresh, lambda key: False)
    qtbot.addWidget(group)
    group.reload()
    with qtbot.waitSignal(refresh.finished, timeout=5_000) as done:
        refresh.refresh()
        qtbot.wait(200)
        group.cancel_button.click()
    gate.set()
    assert done.args[0].cancelled


def test_no_feeds_no_group_and_the_interval_timer(qtbot, worker) -> None:
    refresh = FeedRefresh(worker)
    group = FeedsGroup(refresh, lambda key: False)
    qtbot.addWidget(group)
    group.reload()
    assert group.isHidden()  # no feed followed: no group
    assert not group.timer.isActive()
    group.set_interval(15)
    assert group.timer.isActive() and group.timer.interval() == 15 * 60_000
    group.set_interval(0)
    assert not group.timer.isActive()
