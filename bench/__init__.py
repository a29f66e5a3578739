"""The benchmark suite of bilingual-reader (issue #8): ``python -m bench [--quick]``.

Rerunnable measurements, not timed tests: results go to ``bench/results/latest.json``
(git-ignored) and a Markdown table for the README is printed (and written to
``bench/results/README-table.md``). See ``bench.run`` for what is measured and how.
"""
