"""Where the data shipped with the package lives: inside the installed wheel, else in the checkout.

The wheel copies ``rules/``, ``training/data``, ``training/devtest`` and
``training/realtest`` into the package (``_rules``, ``_corpus``, ``_devtest``,
``_realtest``; see pyproject.toml); in a checkout or an editable install they
are read where they are written.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def shipped_path(packaged: str, checkout: str) -> Path:
    """The packaged copy ``classifier/<packaged>`` if the install has one, else ``<checkout>`` of the checkout.

    Existence of the checkout copy is left to the caller, which knows what to say when it is missing.
    """
    package = Path(str(resources.files("classifier")))
    inside = package / packaged
    return inside if inside.exists() else package.parent / checkout
