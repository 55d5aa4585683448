"""The ``claims`` command line.

Commands import what they need when they run, so ``claims label`` starts
without scikit-learn, datasets, pandas or pyarrow.

Exit codes: 0 success; 1 internal error; 2 usage error; 3 unreadable input;
4 bad labelled data; 5 bad rule files; 6 bad model directory; 7 the command
needs an extra ('train' or 'serve'); 8 the system refused a read or write; 130 interrupted.

Each command group lives in a module of its own (label, training, tools,
rules, label_studio); this one builds the app and adds them in the order ``--help`` lists.
"""

from __future__ import annotations

from typing import Annotated

import typer

from .. import __version__
from . import label, label_studio, rules, serve, tools, training

app = typer.Typer(
    name="claims",
    help=(
        "Label each sentence of an official statement as an accusation, legal claim, assurance, "
        "demand or warning (or no claim), with the rule hits and model scores behind each label."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        print(f"claims {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Label claims in official statements."""


label.register(app)
training.register(app)
tools.register(app)
rules.register(app)
serve.register(app)
label_studio.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
