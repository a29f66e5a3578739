"""The Markdown table for the README, from the results dictionary (``latest.json``).

A goal is printed as the issue states it, whatever the result; a missed goal says "missed".
"""

from __future__ import annotations

from typing import Any

MET = "✅ met"
MISSED = "❌ **missed**"
NOT_YET = "⏳ not yet"
INFO = "—"


def _status(ok: bool) -> str:
    return MET if ok else MISSED


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms"


def _s(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def _error(section: dict[str, Any] | None) -> str | None:
    if section is None:
        return "not run (--only)"
    if section.get("status") == "error":
        return f"error: {section.get('error', '?')}"
    return None


Row = tuple[str, str, str, str, str]


def _anchor_rows(results: dict[str, Any]) -> list[Row]:
    anchor = results.get("anchor")
    problem = _error(anchor)
    if problem or anchor is None:
        return [("1", "Engine vs argostranslate `translate()`", problem or "?", "≥ 3×", INFO)]
    w = anchor["workload"]
    ours, argos = anchor["ours"], anchor["argos"]
    label = (
        f"Engine vs argostranslate `translate()` per paragraph: {w['name']} "
        f"({w['paragraphs']} paragraphs, {w['sentences']} sentences, "
        f"{w['source_tokens']:,} source tokens), beam {anchor['beam_size']}, "
        f"{anchor['threads']} threads (CTranslate2 workers × threads each, both sides), "
        f"median of {anchor['repeats']} alternating runs"
    )
    result = (
        f"ours {ours['sentences_per_s']:.2f} sentences/s ({ours['source_tokens_per_s']:.0f} "
        f"tokens/s) vs {argos['sentences_per_s']:.2f} sentences/s "
        f"({argos['source_tokens_per_s']:.0f} tokens/s): **{anchor['ratio']:.1f}×** "
        f"(pairs: {', '.join(f'{r:.1f}' for r in anchor['ratios'])}); tokens generated per "
        f"sentence: ours {ours['work']['generated_per_sentence']:.0f}, argostranslate "
        f"{argos['work']['generated_per_sentence']:.0f}"
    )
    rows: list[Row] = [("1", label, result, "≥ 3×", _status(anchor["ratio"] >= anchor["goal"]))]
    ceiling = anchor.get("ceiling")
    if ceiling:
        budgets = ", ".join(
            f"{b}: {_s(t)}" for b, t in ceiling["seconds_by_batch_tokens"].items()
        )
        rows.append((
            "1",
            "Engine vs the raw CTranslate2 ceiling: one plain `translate_batch` call over the "
            f"same {ceiling['sentences']} distinct sentences, `batch_type=\"tokens\"`, same "
            "threads, beam and limit; pairs against the token budget that won on medians; "
            "ours: the same files through `translate_many`, as `translate a b` does",
            f"ceiling {_s(ceiling['seconds'])} at {ceiling['best_batch_tokens']} tokens "
            f"(medians by budget: {budgets}), ours {_s(ours['seconds'])}: "
            f"**{ceiling['ratio']:.2f}** of the ceiling "
            f"(pairs: {', '.join(f'{r:.2f}' for r in ceiling['ratios'])})",
            "≥ 0.95", _status(ceiling["ratio"] >= ceiling["goal"]),
        ))
    worst = results.get("worst")
    if worst and worst.get("status") != "error":
        rows.append((
            "1",
            "Worst case: the never-stopping random-weight model (every sentence runs to the "
            "limit, is decoded again with room, and still comes back truncated), same "
            "workload and sides",
            f"ours {_s(worst['ours']['seconds'])} vs argostranslate "
            f"{_s(worst['argos']['seconds'])}: **{worst['ratio']:.1f}×**; tokens generated "
            f"per sentence: ours {worst['ours']['work']['generated_per_sentence']:.0f}, "
            f"argostranslate {worst['argos']['work']['generated_per_sentence']:.0f} "
            "(argostranslate keeps the cut text)",
            INFO, INFO,
        ))
    tuned = anchor.get("tuned")
    if tuned:
        settings = tuned["settings"]
        rows.append((
            "1",
            "Same comparison, same runs, our engine with the sweep's best setting "
            f"(max_batch_tokens {settings['max_batch_tokens']}, window_sentences "
            f"{settings['window_sentences']}, threads {settings['threads']})",
            f"{tuned['sentences_per_s']:.2f} sentences/s ({tuned['source_tokens_per_s']:.0f} "
            f"tokens/s): **{tuned['ratio']:.1f}×** (pairs: "
            f"{', '.join(f'{r:.1f}' for r in tuned['ratios'])}); tokens generated per sentence "
            f"{tuned['work']['generated_per_sentence']:.0f}",
            "≥ 3×", _status(tuned["ratio"] >= anchor["goal"]),
        ))
    knobs = results.get("knobs")
    problem = _error(knobs)
    if problem or knobs is None:
        rows.append(("1", "Beam 1 vs beam 4; int8 vs float32", problem or "?", INFO, INFO))
    else:
        beam, precision = knobs["beam"], knobs["precision"]
        rows.append((
            "1",
            f"Beam 1 vs beam 4 (ours, {beam['workload']['name']}, "
            f"{beam['workload']['sentences']} sentences)",
            f"beam 4 {_s(beam['beam4']['median'])}, beam 1 {_s(beam['beam1']['median'])}: "
            f"beam 1 is **{beam['speedup_beam1']:.1f}×** faster",
            INFO, INFO,
        ))
        types = precision["compute_types"]
        sizes = precision["package_mb"]
        rows.append((
            "1",
            f"int8 vs float32 (ours, beam 4, {precision['workload']['name']}, "
            f"{precision['workload']['sentences']} sentences)",
            f"int8 ({types['int8']}, {sizes['int8']:.0f} MB package) "
            f"{_s(precision['int8']['median'])}, float32 ({types['float32']}, "
            f"{sizes['float32']:.0f} MB) {_s(precision['float32']['median'])}: int8 is "
            f"**{precision['ratio']:.1f}×** faster",
            INFO, INFO,
        ))
    sweep = results.get("sweep")
    problem = _error(sweep)
    if problem or sweep is None:
        rows.append(("1", "Best batching on this machine", problem or "?", INFO, INFO))
    else:
        best = sweep["best"]
        default = next((r for r in sweep["rows"] if r["default"]), None)
        text = (
            f"max_batch_tokens {best['max_batch_tokens']}, window_sentences "
            f"{best['window_sentences']}, threads {best['threads']}, length spread "
            f"{best.get('batch_length_spread')}: {_s(best['seconds'])}"
        )
        if default is not None:
            text += (
                f" (defaults {default['max_batch_tokens']}/{default['window_sentences']}/"
                f"{default['threads']}: {_s(default['seconds'])}, "
                f"{default['seconds'] / best['seconds']:.2f}× slower); full sweep below"
            )
        rows.append((
            "1",
            f"Best setting, {results['machine']['cores']} cores ({sweep['workload']['name']}, "
            f"{sweep['workload']['sentences']} sentences, beam 4, one run per setting)",
            text, INFO, INFO,
        ))
    return rows


def _ui_rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    window = results.get("window")
    problem = _error(window)
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
            text = (f"**{_s(shown)}** (median of {len(cold['runs'])} launches: {runs} s; "
                    f"interpreter up at {_s(cold['interpreter_s'])})")
        else:
            shown = window["window_shown_s"]
            text = f"**{_s(shown)}** (one launch)"
        rows.append((
            "2",
            "Cold start: launch (before `Popen`) → first paint of the main window "
            "(`reader.ui.app.run([seeds/])`, offscreen, fresh cache and settings)",
            text, "< 1 s", _status(shown < 1.0),
        ))
        first_paragraph = window.get("first_paragraph_s")
        done = window.get("article_done_s")
        rows.append((
            "2",
            "Cold start: launch → first translated paragraph in the window (no cache)",
            (f"**{_s(first_paragraph)}**" if first_paragraph is not None
             else window.get("note", "none"))
            + (f"; whole article {_s(done)}" if done is not None else ""),
            INFO, INFO,
        ))
        after_model = window.get("first_paragraph_after_model_s")
        if after_model is not None:
            rows.append((
                "2",
                "Model loaded (first translator ready on the worker) → first translated "
                "paragraph on screen, uncached article, same launch",
                f"**{_s(after_model)}** (model ready {_s(window['model_loaded_s'])} after launch)",
                "< 1 s", _status(after_model < 1.0),
            ))
    first = results.get("first")
    problem = _error(first)
    if problem or first is None:
        rows.append(("2", "Engine cold start (no window)", problem or "?", INFO, INFO))
    else:
        rows.append((
            "2",
            f"Engine only, no window ({first['label']}): launch → imports → model loaded → "
            "first translated paragraph → article done",
            f"{_s(first['imports_s'])} → {_s(first['model_loaded_s'])} → "
            f"**{_s(first['first_paragraph_s'])}** → {_s(first['article_done_s'])}",
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
            "< 50 ms", _status(stall["longest_gap_ms"] < 50),
        )
    stall = results.get("stall")
    problem = _error(stall)
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
            "< 50 ms", _status(whole["longest_gap_ms"] < 50),
        ))
    return rows


def _long_article_rows(results: dict[str, Any]) -> list[Row]:
    long = results.get("long_article")
    if long is None:
        return []
    problem = _error(long)
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
        "< 50 ms", _status(stall["longest_gap_ms"] < 50),
    )]


def _long_window_rows(results: dict[str, Any]) -> list[Row]:
    long = results.get("long_window")
    if long is None:
        return []
    label = "A long article (5 MB; 2 MB with --quick) opens in the real window (the library " \
        "lists it, the window opens it: `articleOpened` → first paint + 1 s; 10 ms QTimer " \
        "probe with GUI-thread CPU)"
    problem = _error(long)
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
        "< 50 ms", _status(long["longest_open_gap_ms"] < 50),
    )]


def _long_book_rows(results: dict[str, Any]) -> list[Row]:
    book = results.get("long_book")
    if book is None:
        return []
    label = "A whole novel as an EPUB (~200,000 words, `bench.novel`)"
    problem = _error(book)
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
         "< 2 s", _status(listing["best_s"] < 2)),
        ("3", f"{label}: opens in the real window (`articleOpened` → first paint + 1 s; "
              "10 ms QTimer probe)",
         f"**{opened['longest_gap_ms']:.0f} ms** ({opened['its_gui_cpu_ms']:.0f} ms of it GUI "
         f"CPU), first paint {window['first_paint_ms']:.0f} ms, first translation "
         f"{window['first_translation_ms'] or 0:.0f} ms; while it translates "
         f"{window['translating'].get('longest_gap_ms', 0):.0f} ms",
         "< 50 ms", _status(opened["longest_gap_ms"] < 50)),
    ]


def _cache_rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    opened = results.get("cached_open")
    problem = _error(opened)
    if problem or opened is None:
        rows.append(("4", "Open a fully cached article", problem or "?", "< 100 ms", INFO))
    elif opened.get("via") == "window":
        rows.append((
            "4",
            "Open a fully cached article → rendered view (`MainWindow.session.open` → next "
            f"paint of the reading view; median of {opened['opens']} opens of the seeds)",
            f"**{opened['median_ms']:.0f} ms**, worst {opened['max_ms']:.0f} ms",
            "< 100 ms", _status(opened["median_ms"] < 100),
        ))
    else:
        rows.append((
            "4",
            "Open a fully cached article → rendered view (the window's parts: ReadingPane "
            f"1200×800; median of {opened['opens']} opens of the seeds)",
            f"**{opened['median_ms']:.0f} ms** (parse {opened['parse_ms']:.0f}, cache lookup "
            f"{opened['lookup_ms']:.1f}, layout+paint {opened['render_ms']:.0f}); worst "
            f"{opened['max_ms']:.0f} ms; first open in a process {opened['first_open_ms']:.0f} ms",
            "< 100 ms", _status(opened["median_ms"] < 100),
        ))
    cache = results.get("cache")
    problem = _error(cache)
    if problem or cache is None:
        rows.append(("4", "Cache lookup per paragraph", problem or "?", INFO, INFO))
    else:
        rows.append((
            "4",
            f"Cache lookup per paragraph, {cache['rows']:,} cached rows "
            f"({cache['size_mb']:.0f} MB SQLite)",
            f"hit {cache['lookup_hit_us']:.0f} µs, miss {cache['lookup_miss_us']:.0f} µs "
            f"(one paragraph per query); engine `peek` {cache['peek_per_paragraph_us']:.0f} "
            "µs per paragraph",
            INFO, INFO,
        ))
    return rows


def _scale_rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    library = results.get("library")
    problem = _error(library)
    if problem or library is None:
        rows.append(("5", "List a 500-article library", problem or "?", "< 1 s", INFO))
    else:
        times = [library["in_process"]["median"], library["cli"]["median"]]
        text = f"first listing **{_ms(times[0])}** / **{_ms(times[1])}**"
        if "in_process_again" in library:
            again = [library["in_process_again"]["median"], library["cli_again"]["median"]]
            times += again
            text += f"; listing again **{_ms(again[0])}** / **{_ms(again[1])}**"
        if "cli_without_profile_copy" in library:
            cold = library["cli_without_profile_copy"]["median"]
            text += (
                f"; the program's very first listing (langdetect's JSON profiles read and "
                f"their compact copy written) {_ms(cold)}"
            )
        rows.append((
            "5",
            f"List a {library['articles']}-article library (seeds cycled, each varied near "
            "its top): `load_library(..., paragraph_languages=False)` in-process / "
            "`python -m reader list DIR --json` (subprocess: start-up, imports, langdetect "
            "profiles included, from their compact copy in the cache folder); first listing "
            "= nothing remembered of the articles, again = with what the library remembers "
            "on disk",
            text, "< 1 s", _status(max(times) < 1),
        ))
        if library.get("search"):
            rows.append((
                "5",
                f"Search the same {library['articles']}-article library "
                f"({library['paragraphs']:,} paragraphs, originals, accent- and case-blind "
                "scan, no index; `search_library`, median)",
                "; ".join(f"{query!r}: **{_ms(v['median'])}** ({v['hits']:,} matches)"
                          for query, v in library["search"].items()),
                "—", "—",
            ))
    scale = results.get("scale")
    problem = _error(scale)
    if problem or scale is None:
        rows.append(("5", "Translate time vs article length", problem or "?", "linear", INFO))
    else:
        parts = ", ".join(
            f"×{r['factor']} ({r['sentences']} sentences) {r['ms_per_sentence']:.0f}"
            for r in scale["rows"]
        )
        rows.append((
            "5",
            f"Translate time vs article length ({scale['seed']} ×1/×4/×16, varied so no "
            f"sentence repeats; beam {scale['beam_size']})",
            f"ms per sentence: {parts}; largest/smallest **{scale['growth']:.2f}**",
            "linear (per-sentence time flat, ≤ 1.25)",
            _status(scale["growth"] <= 1.25),
        ))
    return rows


def _memory_export_rows(results: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    first = results.get("first")
    problem = _error(first)
    if problem or first is None:
        rows.append(("6", "Peak RSS", problem or "?", "< 1.2 GB", INFO))
    else:
        peak = first["peak_rss_mb"]
        rows.append((
            "6",
            f"Peak RSS, model loaded + article translated (child process, "
            f"`ru_maxrss`; {first['label']})",
            f"**{peak:,.0f} MB** (after model load {first['peak_rss_model_loaded_mb']:,.0f} MB)",
            "< 1.2 GB", _status(peak < 1200),
        ))
    export = results.get("export")
    if export is not None and export.get("status") == "not yet":
        rows.append(("7", "PDF export per cached article", "not yet", INFO, NOT_YET))
        return rows
    problem = _error(export)
    if problem or export is None:
        rows.append(("7", "PDF export per cached article", problem or "?", INFO, INFO))
    else:
        parts = ", ".join(
            f"{layout} **{data['median_ms']:.0f} ms** (worst {data['max_ms']:.0f})"
            for layout, data in export["layouts"].items()
        )
        rows.append((
            "7",
            "PDF export per cached article (`export_articles`, one seed per PDF, median)",
            f"{parts}; first export in a process {export['first_export_ms']:.0f} ms",
            INFO, INFO,
        ))
    return rows


def _ok(section: Any) -> bool:
    return isinstance(section, dict) and section.get("status") in (None, "ok")


def _stall_causes(worst: list[dict[str, Any]], count: int = 2) -> str:
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


def _limits(results: dict[str, Any]) -> list[str]:
    """What limits each missed goal, from the measurements (profiles, counters, stacks)."""
    notes: list[str] = []
    anchor, profile, sweep = results.get("anchor"), results.get("profile"), results.get("sweep")
    ceiling = (anchor or {}).get("ceiling") if _ok(anchor) else None
    if ceiling and ceiling["ratio"] < ceiling["goal"]:
        notes.append(
            f"Engine vs the CTranslate2 ceiling ({ceiling['ratio']:.2f}, goal 0.95): the "
            "ceiling decodes every sentence in one call and lets CTranslate2 keep both "
            "workers busy to the end; the engine streams document-order windows (a paragraph "
            "is shown as soon as it is done) with one window queued behind the one being "
            "collected, and keeps a batch's sentences within the length spread; per-run pairs "
            "show how much of the gap is run-to-run noise."
        )
    if _ok(anchor) and anchor and anchor["ratio"] < anchor["goal"]:
        ours, argos = anchor["ours"]["work"], anchor["argos"]["work"]
        extra_work = ours["generated_per_sentence"] / argos["generated_per_sentence"]
        text = f"Engine vs argostranslate ({anchor['ratio']:.1f}×, goal 3×): "
        if _ok(profile) and profile:
            text += (
                f"{100 * profile['ctranslate2_share']:.2f}% of the wall time is inside "
                "CTranslate2's `translate_batch` (cProfile, "
                f"{profile['workload']['name']}); splitting, tokenizing and planning are "
                "noise. "
            )
        text += (
            f"Our batches decode {ours['generated_per_sentence']:.0f} tokens per sentence, "
            f"argostranslate's {argos['generated_per_sentence']:.0f}; per generated token "
            f"the batching gain is about {anchor['ratio'] * extra_work:.1f}×."
        )
        if _ok(sweep) and sweep:
            proto = next((r for r in sweep["rows"] if r.get("prototype")), None)
            best = sweep["best"]
            if proto:
                text += (
                    f" Sentences batched by length ({proto['prototype']}, prototype in "
                    f"bench.translation) decode {proto['work']['generated_per_sentence']:.0f} "
                    f"tokens per sentence and take {_s(proto['seconds'])} against "
                    f"{_s(best['seconds'])} for the best setting."
                )
        notes.append(text)
    window = results.get("window")
    worst = (window or {}).get("worst_stall") or (window or {}).get("stall", {})
    if _ok(window) and worst.get("longest_gap_ms", 0) >= 50:
        missed = window["stall"]["longest_gap_ms"] >= 50
        notes.append(
            ("Event-loop stalls" if missed else "Event-loop stalls (goal met by the median, "
             "not by every launch)")
            + f": worst launch {worst['longest_gap_ms']:.0f} ms; its longest stalls: "
            + _stall_causes(worst.get("worst", []))
        )
    library = results.get("library")
    listed = [library[k]["median"] for k in ("in_process", "cli", "in_process_again",
                                             "cli_again") if library and k in library]
    if _ok(library) and library and max(listed) >= library["goal_s"]:
        per_article = library["in_process"]["median"] / library["articles"] * 1000
        share = library.get("language_detection_share")
        text = f"Library listing ({per_article:.1f} ms per article, first listing in-process)"
        if share is not None:
            text += (
                f": {100 * share:.0f}% of a first listing is langdetect's algorithm "
                f"(reader/core/language/langdetect_fast.py) on each article's first "
                f"{library.get('article_sample_chars', 2500):,} characters, the rest reading, "
                "hygiene, paragraph rules and counting words"
            )
        text += (
            "; the subprocess adds interpreter start-up, imports and reading the compact copy "
            "of langdetect's 31 Latin-script profiles."
        )
        notes.append(text)
    return notes


def _model_line(model: dict[str, Any]) -> str:
    if model.get("kind") == "file":
        return (f"Model: `{model.get('file')}` ({model.get('package')}), "
                f"{model.get('int8_mb', 0):.0f} MB, as given with `--model`.")
    return (
        "Model: the hand-set echo Argos package at fr_en 1.9's compute shape — Transformer-base "
        "(6+6 layers, d_model 512, 8 heads, FFN 2048, 32k vocabulary), int8, "
        f"{model.get('int8_mb', 0):.0f} MB (float32 {model.get('float32_mb', 0):.0f} MB). "
        "Its weights are set by hand (`testkit.handset_package`): it answers each "
        "piece with itself and stops with `</s>` as trained weights do, so every sentence "
        "decodes as many tokens as a real one-token-per-piece answer; all 12 layers run "
        "(zero weights cost what trained ones cost). It measures speed, not quality."
    )


def render(results: dict[str, Any]) -> str:
    m = results["machine"]
    memory = f", {m['memory_gb']:.1f} GB RAM" if m.get("memory_gb") else ""
    load = results.get("load_average")
    model = results.get("model", {})
    lines = [
        f"Benchmarks of {results['date']} · commit `{results['commit']}` · "
        f"{m['cores']} cores, {m['cpu']}{memory} · Python {m['python']}, CTranslate2 "
        f"{m['ctranslate2']} · `{results['command']}` "
        f"({results['mode']} run, {results['elapsed_s'] / 60:.1f} min"
        + (f", load average {load[0]:.1f} → {load[1]:.1f}" if load else "")
        + ")",
        "",
        _model_line(model),
        "",
        "| # | Measure | Result | Goal | Status |",
        "|---|---|---|---|---|",
    ]
    rows = (_anchor_rows(results) + _ui_rows(results) + _long_article_rows(results)
            + _long_window_rows(results) + _long_book_rows(results)
            + _cache_rows(results)
            + _scale_rows(results) + _memory_export_rows(results))
    for row in rows:
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    limits = _limits(results)
    if limits:
        lines += ["", "What limits the missed goals:", ""]
        lines += [f"- {note}" for note in limits]
    crashes = [f"`{name}` child died once ({section['crashed_before']['error']}) and was rerun"
               for name, section in results.items()
               if isinstance(section, dict) and section.get("crashed_before")]
    if crashes:
        lines += ["", "Notes: " + "; ".join(crashes) + "."]
    sweep = results.get("sweep")
    if sweep and not _error(sweep):
        lines += [
            "",
            f"Batching sweep ({sweep['workload']['name']}, beam 4, one run each):",
            "",
            "| max_batch_tokens | window_sentences | threads (workers × each) | length spread "
            "| time | sentences/s | first paragraph | tokens generated per sentence |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for r in sweep["rows"]:
            mark = " (default)" if r["default"] else ""
            if r.get("prototype"):
                mark = f" + prototype: {r['prototype']}"
            first = r["first_paragraph_s"]
            lines.append(
                f"| {r['max_batch_tokens']}{mark} | {r['window_sentences']} | "
                f"{r['threads']} | {r.get('batch_length_spread')} | {_s(r['seconds'])} | "
                f"{r['sentences_per_s']:.2f} | "
                f"{_s(first) if first is not None else '—'} | "
                f"{r['work']['generated_per_sentence']:.0f} |"
            )
    return "\n".join(lines) + "\n"
