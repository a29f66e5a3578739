"""The benchmark's Markdown table, rendered from the results (``bench.report.table.render``)."""
