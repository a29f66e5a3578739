"""The one thing pyproject.toml cannot say: packages whose folders live outside ``reader/``.

The wheel must carry the fonts, the sample articles, the icon and the desktop entry, found at
run time through ``importlib.resources``; the top-level ``resources/`` and ``seeds/`` folders
stay their only copy in the checkout, so each is mapped onto a ``reader.data.*`` package here
(``package_dir``) instead of being copied under ``reader/``. Everything else is in
pyproject.toml.
"""

from setuptools import find_packages, setup

DATA_PACKAGES = {
    "reader.data.fonts": "resources/fonts",
    "reader.data.samples": "seeds",
    "reader.data.desktop": "resources/desktop",
}

setup(
    packages=[*find_packages(include=["reader*"]), *DATA_PACKAGES],
    package_dir=DATA_PACKAGES,
)
