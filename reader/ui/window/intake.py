"""What comes into the window from outside: files and links dropped on it, Ctrl+V, the Add
dialog, files handed over by another instance. Articles go to the library, ``.argosmodel``
files to the model tasks; one status line says what happened."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QMimeData, QObject
from PySide6.QtWidgets import QWidget

from reader.core.articles import html_extract
from reader.core.library.formats import SUPPORTED_SUFFIXES
from reader.core.util.wording import plural
from reader.ui.dialogs.add_article import AddArticleDialog, ArticleAdder, sources_from_mime
from reader.ui.dialogs.model_manager import ModelTasks
from reader.ui.window.library import LibraryPane

ARTICLE_SUFFIXES = SUPPORTED_SUFFIXES  # what the library lists (reader.core.library.formats)


class Intake(QObject):
    """Adds what the reader brings to the window: articles, folders, links, text, models."""

    def __init__(
        self, window: QWidget, library: LibraryPane, adder: ArticleAdder,
        model_tasks: ModelTasks, show_message: Callable[[str], None],
    ) -> None:
        super().__init__(window)
        self._window = window
        self._library = library
        self._adder = adder
        self._model_tasks = model_tasks
        self._show_message = show_message
        self.add_dialog: AddArticleDialog | None = None
        self._notices_shown = 0  # of html_extract.notices
        adder.added.connect(self._on_article_added)
        adder.failed.connect(show_message)

    def accepts(self, mime: QMimeData) -> bool:
        """A drop the window takes: local files, or links and text to add."""
        return bool((mime.hasUrls() and any(u.isLocalFile() for u in mime.urls()))
                    or sources_from_mime(mime))

    def drop(self, mime: QMimeData) -> None:
        dropped = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        links = sources_from_mime(mime)
        if links:  # a link dragged from a browser's address bar or page
            self._show_message("Adding to your library…")
            self._adder.add_all(links)
        if dropped:
            self.open_paths(dropped)

    def show_add_article(self) -> AddArticleDialog:
        if self.add_dialog is None:
            self.add_dialog = AddArticleDialog(self._adder, self._window)
        self.add_dialog.show()
        self.add_dialog.raise_()
        self.add_dialog.link.setFocus()
        return self.add_dialog

    def paste_article(self) -> int:
        """Ctrl+V outside a text field: a copied link is fetched, copied text is kept."""
        from PySide6.QtWidgets import QApplication

        sources = sources_from_mime(QApplication.clipboard().mimeData())
        if not sources:
            self._show_message("Nothing to add: copy a link or an article's text first")
            return 0
        self._show_message("Adding to your library…")
        self._adder.add_all(sources)
        return len(sources)

    def show_extraction_notices(self) -> None:
        """A package missing for web pages (a broken install; pages then go through our
        own parser): one status line each, once. The workers append, this thread reads."""
        notices = list(html_extract.notices)
        for notice in notices[self._notices_shown:]:
            self._show_message(notice)
        self._notices_shown = len(notices)

    def _on_article_added(self, path: str, already: bool) -> None:
        self._show_message(("Already in your library: " if already else "Added: ") + path)
        self.show_extraction_notices()
        if self._library.model.entry(str(Path(path).resolve())) is None:
            self._library.load([Path(path)], replace=False)

    def open_paths(self, dropped: list[Path]) -> None:
        """Install ``.argosmodel`` files; add articles and folders to the library."""
        models = [p for p in dropped if p.suffix.lower() == ".argosmodel"]
        articles = [p for p in dropped if p.is_dir() or p.suffix.lower() in ARTICLE_SUFFIXES]
        ignored = len(dropped) - len(models) - len(articles)
        if models:
            self._show_message(f"Installing {plural(len(models), 'model')}…")
            self._model_tasks.install_files(models)
        if articles:
            self._library.open_files(articles)
        if ignored:
            self._show_message(f"Ignored {plural(ignored, 'file')}: not an article or a model")
