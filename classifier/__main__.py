"""``python -m classifier`` runs the ``claims`` command line."""

from .cli import main

main()
