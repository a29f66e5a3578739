"""PDF and EPUB export from the window (Ctrl+E: the open article to PDF; Ctrl+Shift+E: the
listed ones; Export EPUB…: the open article or book to an EPUB), run on the tasks worker
with progress and Cancel. The format goes by the file's suffix, as on the command line."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from reader.core.articles.article import Article
from reader.ui import settings as keys
from reader.ui.reading_view import Layout
from reader.ui.window.progress import TaskProgress
from reader.ui.window.services import Services
from reader.ui.workers import JobContext

_PDF_FILTER = "PDF (*.pdf)"
_EPUB_FILTER = "EPUB (*.epub)"


class Exporter(QObject):
    """Exports articles as they are read (parsed, with the reader's language choice) in
    the layout on screen.

    Signals: ``exportStarted()``; ``exportFinished(ok: bool)``: written, failed or
    cancelled; ``message(text: str)``.
    """

    exportStarted = Signal()
    exportFinished = Signal(bool)
    message = Signal(str)

    def __init__(
        self, services: Services, progress: TaskProgress,
        open_article: Callable[[], Article | None],
        listed_articles: Callable[[], list[Article]], parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.progress = progress
        self._open_article = open_article
        self._listed = listed_articles
        self._parent = parent
        self._job: int | None = None
        self._ok = False
        progress.cancelRequested.connect(self.cancel)

    def busy(self) -> bool:
        return self._job is not None

    def export_open(self) -> None:
        """Ask where, then export the article on screen."""
        article = self._open_article()
        if article is None or not article.ok:
            self.message.emit("Open an article to export it.")
            return
        if self.busy():
            self.message.emit("An export is already running.")
            return
        suggested = Path.home() / f"{article.path.stem}.{self.services.target_language()}.pdf"
        name, _ = QFileDialog.getSaveFileName(self._parent, "Export bilingual PDF",
                                              str(suggested), _PDF_FILTER)
        if name:
            self.start(Path(name))

    def export_open_epub(self) -> None:
        """Ask where, then export the article or book on screen to an EPUB (interleaved,
        or translation-only when that is the layout on screen)."""
        article = self._open_article()
        if article is None or not article.ok:
            self.message.emit("Open an article or a book to export it.")
            return
        if self.busy():
            self.message.emit("An export is already running.")
            return
        suggested = Path.home() / f"{article.path.stem}.{self.services.target_language()}.epub"
        name, _ = QFileDialog.getSaveFileName(self._parent, "Export bilingual EPUB",
                                              str(suggested), _EPUB_FILTER)
        if name:
            output = Path(name)
            self.start(output if output.suffix.lower() == ".epub"
                       else output.with_name(output.name + ".epub"))

    def export_listed(self) -> None:
        """Ask where, then export every listed article into one PDF (or, when the reader
        picks EPUB, one EPUB: a reading list for an e-reader, one chapter per article)."""
        articles = self._listed()
        if not articles:
            self.message.emit("No readable article in the list to export.")
            return
        if self.busy():
            self.message.emit("An export is already running.")
            return
        folders = {a.path.parent.name for a in articles}
        stem = folders.pop() if len(folders) == 1 else "articles"
        suggested = Path.home() / f"{stem}.{self.services.target_language()}.pdf"
        name, chosen = QFileDialog.getSaveFileName(
            self._parent, f"Export {len(articles)} articles to one bilingual PDF or EPUB",
            str(suggested), f"{_PDF_FILTER};;{_EPUB_FILTER}",
        )
        if name:
            output = Path(name)
            if chosen == _EPUB_FILTER and output.suffix.lower() != ".epub":
                output = output.with_name(output.name + ".epub")
            self.start(output, articles)

    def start(self, output: Path, articles: Sequence[Article] | None = None) -> int | None:
        """Export ``articles`` (default: the open one) to ``output`` on the tasks worker."""
        if articles is None:
            article = self._open_article()
            articles = [article] if article is not None else []
        chosen = list(articles)
        if not chosen:
            return None
        services = self.services
        run = self._epub_run(output) if output.suffix.lower() == ".epub" \
            else self._pdf_run(output)
        if run is None:
            return None
        engine = services.engine
        # Read on the GUI thread: settings and the parsed-article memo are not thread-safe.
        plan = [(a, services.parsed.get(a.key), services.settings.source_override(a.key))
                for a in chosen]

        def job(context: JobContext) -> object:
            from reader.core.library.formats import read_file

            full_articles = []
            for article, known, override in plan:
                if context.is_cancelled():
                    break
                full = known or read_file(article.path, paragraph_languages=True)
                full_articles.append(full.with_source_language(override))
            return run(engine, full_articles, progress=context.progress,
                       is_cancelled=context.is_cancelled)

        self._ok = False
        self._job = services.tasks.submit(
            job, "export", on_result=self._on_result,
            on_progress=lambda done, total: self.progress.update_progress(done, total,
                                                                          "sentences"),
            on_error=lambda text: self.message.emit(f"Export failed: {text}"),
            on_finished=self._on_finished,
        )
        self.progress.begin(0, "Exporting…")
        self.exportStarted.emit()
        return self._job

    def _pdf_run(self, output: Path) -> Callable[..., object] | None:
        """The PDF export in the layout on screen (translation only: also OUT.mono.pdf)."""
        try:
            from reader.export.pdf import ExportRequest, export_articles
        except ImportError as error:
            self.message.emit(f"PDF export is not available: {error}")
            return None
        layout = self.services.settings.get(keys.LAYOUT)
        request = ExportRequest(
            output=output,
            target_language=self.services.target_language(),
            layout="interleaved" if layout != Layout.SIDE_BY_SIDE else "side-by-side",
            also=("mono",) if layout == Layout.TRANSLATION_ONLY else (),
        )
        return lambda engine, articles, **kwargs: export_articles(engine, articles, request,
                                                                  **kwargs)

    def _epub_run(self, output: Path) -> Callable[..., object]:
        """The EPUB export: translation-only when that is the layout on screen, else
        interleaved (an e-reader's page has no room for two columns)."""
        from reader.export.epub_export import EpubRequest, export_epub

        layout = self.services.settings.get(keys.LAYOUT)
        request = EpubRequest(
            output=output, target_language=self.services.target_language(),
            layout="translation-only" if layout == Layout.TRANSLATION_ONLY else "interleaved",
        )
        return lambda engine, articles, **kwargs: export_epub(engine, articles, request,
                                                              **kwargs)

    def cancel(self) -> None:
        if self._job is not None:
            self.services.tasks.cancel(self._job)

    def _on_result(self, payload: object) -> None:
        written = getattr(payload, "written", [])
        messages = getattr(payload, "messages", [])
        # Written files are complete (partial output is never left); what the export says
        # beside them (articles skipped, fonts to install) is not a failure.
        self._ok = bool(written)
        if self._ok:
            notes = f" ({'; '.join(messages)})" if messages else ""
            self.message.emit(f"Exported {', '.join(str(p) for p in written)}{notes}")
        else:
            self.message.emit("Export failed: " + ("; ".join(messages) or "unknown reason"))

    def _on_finished(self, cancelled: bool) -> None:
        self._job = None
        self.progress.end()
        if cancelled:
            self.message.emit("Export cancelled.")
        self.exportFinished.emit(self._ok and not cancelled)
