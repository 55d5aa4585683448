"""``claims label-studio``: what a Label Studio project for claim labels needs."""

from __future__ import annotations

import typer

from .common import handles_errors

label_studio_app = typer.Typer(
    name="label-studio",
    help=(
        "Label suggested sentences in Label Studio: 'claims label-studio config' prints the labelling interface, "
        "'claims suggest --format label-studio' writes the tasks, 'claims train --data EXPORT' reads the export."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)


def register(app: typer.Typer) -> None:
    """Add the ``label-studio`` command group to the main ``claims`` app."""
    app.add_typer(label_studio_app)


@label_studio_app.command()
@handles_errors
def config() -> None:
    """Print the labelling interface (Label Studio's XML config) for a claims project.

    The sentence, the six outcomes as a single choice (the annotation guide's
    one-line definitions as hints) and the rule hits as highlighted words.
    Paste it under Settings > Labeling Interface > Code, or send it as
    'label_config' when creating a project through the API.
    Example: claims label-studio config > claims.xml
    """
    from ..integrations.label_studio import labelling_config

    print(labelling_config(), end="")
