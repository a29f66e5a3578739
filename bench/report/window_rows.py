"""The window's rows of the benchmark table: start-up, first paint, stalls of the event loop and
what they were made of, a long article in the reading view and in the real window."""

from __future__ import annotations

from typing import Any

from bench.report.cells import INFO, NOT_YET, Row, error, s, status


def ui_rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    window = results.get("window")
    problem = error(window)
    if window is not None and window.get("status") == "not yet":
        reason = window.get("reason", "")
        rows.append(("2", "Cold start: launch → main window painted (offscreen)",
                     f"not yet ({reason})", "< 1 s", NOT_YET))
        rows.append(("2", "Cold start: launch → first translated paragraph in the window",
                     "not yet", INFO, NOT_YET))
    elif problem or window is None:
        rows.append(("2", "Cold start (window)", problem or "?", "< 1 s", INFO))
    else:
        cold = results.get("cold_start")
        if cold is not None and cold.get("status") == "ok":
            shown = cold["window_shown_s"]
            runs = ", ".join(f"{r:.2f}" for r in cold["runs"])
            text = (f"**{s(shown)}** (median of {len(cold['runs'])} launches: {runs} s; "
                    f"interpreter up at {s(cold['interpreter_s'])})")
        else:
            shown = window["window_shown_s"]
            text = f"**{s(shown)}** (one launch)"
        rows.append((
            "2",
            "Cold start: launch (before `Popen`) → first paint of the main window "
            "(`reader.ui.app.run([seeds/])`, offscreen, fresh cache and settings)",
            text, "< 1 s", status(shown < 1.0),
        ))
        first_paragraph = window.get("first_paragraph_s")
        done = window.get("article_done_s")
        rows.append((
            "2",
            "Cold start: launch → first translated paragraph in the window (no cache)",
            (f"**{s(first_paragraph)}**" if first_paragraph is not None
             else window.get("note", "none"))
            + (f"; whole article {s(done)}" if done is not None else ""),
            INFO, INFO,
        ))
        after_model = window.get("first_paragraph_after_model_s")
        if after_model is not None:
            rows.append((
                "2",
                "Model loaded (first translator ready on the worker) → first translated "
                "paragraph on screen, uncached article, same launch",
                f"**{s(after_model)}** (model ready {s(window['model_loaded_s'])} after launch)",
                "< 1 s", status(after_model < 1.0),
            ))
    first = results.get("first")
    problem = error(first)
    if problem or first is None:
        rows.append(("2", "Engine cold start (no window)", problem or "?", INFO, INFO))
    else:
        rows.append((
            "2",
            f"Engine only, no window ({first['label']}): launch → imports → model loaded → "
            "first translated paragraph → article done",
            f"{s(first['imports_s'])} → {s(first['model_loaded_s'])} → "
            f"**{s(first['first_paragraph_s'])}** → {s(first['article_done_s'])}",
            INFO, INFO,
        ))

    stall_row = None
    if window is not None and window.get("status") == "ok" and window.get("stall", {}).get(
            "ticks"):
        stall = window["stall"]
        startup = window.get("stall_startup", {})
        after = window.get("stall_after_first_paragraph", {})
        extra = ""
        if after.get("ticks"):
            extra += f"; after the first paragraph {after['longest_gap_ms']:.0f} ms"
        if startup.get("ticks"):
            extra += (f". Before it, at start-up (first paint → translation job): "
                      f"{startup['longest_gap_ms']:.0f} ms")
        spread = window.get("stall_runs_ms", [stall["longest_gap_ms"]])
        runs = (f"median of {len(spread)} launches: "
                + ", ".join(f"{g:.0f}" for g in spread) + " ms; ") if len(spread) > 1 else ""
        stall_row = (
            "3",
            "Longest event-loop stall while an article translates in the window (10 ms "
            f"QTimer probe, translation job submitted → article done, model load included; "
            f"{window['label']})",
            f"**{stall['longest_gap_ms']:.0f} ms** ({runs}p99 {stall['p99_gap_ms']:.0f} ms, "
            f"{stall['ticks']} ticks){extra}",
            "< 50 ms", status(stall["longest_gap_ms"] < 50),
        )
    stall = results.get("stall")
    problem = error(stall)
    if stall_row is not None:
        rows.append(stall_row)
    elif problem or stall is None:
        rows.append(("3", "Longest event-loop stall while translating", problem or "?",
                     "< 50 ms", INFO))
    else:
        whole = stall["whole_job"]
        during = stall["while_translating"]
        rows.append((
            "3",
            "Longest event-loop stall while an article translates (10 ms QTimer probe; "
            f"the window's parts until it lands: ReadingPane + WorkerThread, {stall['label']})",
            f"**{whole['longest_gap_ms']:.0f} ms** over the whole job incl. model load "
            f"({during['longest_gap_ms']:.0f} ms while translating; p99 "
            f"{during['p99_gap_ms']:.0f} ms, {during['ticks']} ticks)",
            "< 50 ms", status(whole["longest_gap_ms"] < 50),
        ))
    return rows


def long_article_rows(results: dict[str, Any]) -> list[Row]:
    long = results.get("long_article")
    if long is None:
        return []
    problem = error(long)
    label = "A long book in the reading view: open, translations arriving, read on, drag " \
        "through, find, End, Home (10 ms QTimer probe)"
    if problem:
        return [("3", label, problem, "< 50 ms", INFO)]
    stall = long["stall"]
    cpu = long["longest_step_cpu_ms"]
    rss = long["rss_mb"]
    return [(
        "3",
        f"{label}; {long['megabytes']:g} MB, {long['paragraphs']:,} paragraphs",
        f"**{stall['longest_gap_ms']:.0f} ms** longest gap (p99 {stall['p99_gap_ms']:.0f}, "
        f"median {stall['median_gap_ms']:.0f} ms: the probe's own pace on this machine); "
        f"longest step {cpu:.0f} ms of GUI-thread CPU; first paint "
        f"{long['first_paint_ms']:.0f} ms; {long['layout']['rows_laid_out']:,} rows laid "
        f"out; RSS {rss['before_open']:.0f} MB before opening → {rss['after']:.0f} MB after",
        "< 50 ms", status(stall["longest_gap_ms"] < 50),
    )]


def long_window_rows(results: dict[str, Any]) -> list[Row]:
    long = results.get("long_window")
    if long is None:
        return []
    label = "A long article (5 MB; 2 MB with --quick) opens in the real window (the library " \
        "lists it, the window opens it: `articleOpened` → first paint + 1 s; 10 ms QTimer " \
        "probe with GUI-thread CPU)"
    problem = error(long)
    if problem:
        return [("3", label, problem, "< 50 ms", INFO)]

    def one(name: str, w: dict[str, Any]) -> str:
        o, t, gcs = w["open"], w["translating"], w["gc_passes_over_20ms"]
        return (f"{name}: **{o['longest_gap_ms']:.0f} ms** ({o['its_gui_cpu_ms']:.0f} ms of it "
                f"GUI CPU; most GUI CPU in any gap {o['most_gui_cpu_in_a_gap_ms']:.0f} ms), "
                f"first paint {w['first_paint_ms']:.0f} ms, first translation "
                f"{w['first_translation_ms'] or 0:.0f} ms; while it translates "
                f"{t.get('longest_gap_ms', 0):.0f} ms ({t.get('its_gui_cpu_ms', 0):.0f} ms GUI "
                f"CPU; GC passes over 20 ms on any thread: {gcs['translating'] or 'none'})")

    return [(
        "3", f"{label}; {long['megabytes']:g} MB, {long['fresh_cache']['paragraphs']:,} "
        "paragraphs",
        f"{one('fresh cache', long['fresh_cache'])}; {one('cached', long['cached'])}",
        "< 50 ms", status(long["longest_open_gap_ms"] < 50),
    )]


def long_book_rows(results: dict[str, Any]) -> list[Row]:
    book = results.get("long_book")
    if book is None:
        return []
    label = "A whole novel as an EPUB (~200,000 words, `bench.books.novel`)"
    problem = error(book)
    if problem:
        return [("3", f"{label}: listed; opened in the window", problem, "< 2 s; < 50 ms",
                 INFO)]
    listing, window = book["listing"], book["window"]
    opened = window["open"]
    return [
        ("3", f"{label}: listed (`load_library`, no memo: unzip, XHTML, chapters, words, "
              f"language; best of {len(listing['load_library_s'])}) and `list --json` "
              "(a new process)",
         f"**{listing['best_s']:.2f} s** ({listing['words']:,} words, "
         f"{listing['paragraphs']:,} paragraphs, {listing['chapters']} chapters, "
         f"{book['file_kb']} KB); `list --json` {listing['cli_list_json_s']:.2f} s",
         "< 2 s", status(listing["best_s"] < 2)),
        ("3", f"{label}: opens in the real window (`articleOpened` → first paint + 1 s; "
              "10 ms QTimer probe)",
         f"**{opened['longest_gap_ms']:.0f} ms** ({opened['its_gui_cpu_ms']:.0f} ms of it GUI "
         f"CPU), first paint {window['first_paint_ms']:.0f} ms, first translation "
         f"{window['first_translation_ms'] or 0:.0f} ms; while it translates "
         f"{window['translating'].get('longest_gap_ms', 0):.0f} ms",
         "< 50 ms", status(opened["longest_gap_ms"] < 50)),
    ]


def stall_causes(worst: list[dict[str, Any]], count: int = 2) -> str:
    """The longest stalls, each with the GUI thread's CPU in it (much: our GUI code; little:
    waiting for the GIL or the machine), the garbage-collector passes overlapping it and,
    when the opt-in sampler ran, what the busy threads were running: the innermost frame
    and, when that is a library's, the innermost frame of our own code that led there."""
    parts = []
    for stall in worst[:count]:
        seen: list[str] = []
        for stack in stall.get("stacks", []):
            who, _, text = stack.partition(": ")
            frames = [f.split(":")[0] + " " + f.split(" ")[-1] for f in text.split(" < ")]
            ours = [f for f in frames if f.startswith("reader/")]
            line = f"{who}: {frames[0]}"
            if ours and ours[0] != frames[0]:
                line += f" ← {ours[0]}"
            if line not in seen:
                seen.append(line)
        if stall.get("gui_cpu_ms") is not None:
            seen.insert(0, f"GUI thread CPU {stall['gui_cpu_ms']:.0f} ms")
        if "gc_passes_ms" in stall:
            seen.insert(1, f"GC passes {stall['gc_passes_ms'] or 'none'} ms")
        gap = stall.get("gap_ms", stall.get("gap_at_sample_ms", 0.0))
        parts.append(f"{gap:.0f} ms at {stall['started_s']:.2f} s "
                     f"({'; '.join(seen[:5]) or 'no Python thread busy'})")
    return "; ".join(parts)
