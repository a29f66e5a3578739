"""What to translate next while the window is idle: one ordering rule, no Qt.

The window translates the rest of the library in the background. The order is the
reader's: the article on screen first, then the library list as shown (filtered and
sorted), then every other article in the order it arrived (new files dropped or found
later, articles the filter hides). Articles already translated, unreadable, without a
model, or given up on (a failure, or the reader pressed Stop on them) are left out.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable


def background_order(
    open_key: str | None,
    listed: Iterable[str],
    arrived: Iterable[str],
    pending: Collection[str],
    skip: Collection[str] = (),
) -> list[str]:
    """Keys to translate, most wanted first, each once.

    ``listed``: the library list as the reader sees it; ``arrived``: every article in the
    order it was added; ``pending``: the keys that still need translation; ``skip``: keys
    not to touch now (even if pending)."""
    order: list[str] = []
    seen: set[str] = set()
    head = [open_key] if open_key is not None else []
    for key in (*head, *listed, *arrived):
        if key in seen:
            continue
        seen.add(key)
        if key in pending and key not in skip:
            order.append(key)
    return order
