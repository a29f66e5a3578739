"""How the benchmark table writes its cells: goal statuses, durations, a section's error."""

from __future__ import annotations

from typing import Any

MET = "✅ met"
MISSED = "❌ **missed**"
NOT_YET = "⏳ not yet"
INFO = "—"


def status(met: bool) -> str:
    return MET if met else MISSED


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def error(section: dict[str, Any] | None) -> str | None:
    if section is None:
        return "not run (--only)"
    if section.get("status") == "error":
        return f"error: {section.get('error', '?')}"
    return None


Row = tuple[str, str, str, str, str]


def ok(section: Any) -> bool:
    return isinstance(section, dict) and section.get("status") in (None, "ok")
