"""Data the app needs at run time, mapped onto the checkout's folders by setup.py:

- ``reader.data.fonts`` → ``resources/fonts`` (DejaVu, for the window and the PDF export);
- ``reader.data.samples`` → ``seeds`` (the sample articles, the "Samples" part of the library);
- ``reader.data.desktop`` → ``resources/desktop`` (the launcher entry and the icons).

Read them with :mod:`reader.paths`, never with paths relative to the checkout.
"""
