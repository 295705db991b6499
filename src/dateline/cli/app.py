"""The typer application object that every command module registers on."""

import typer

app = typer.Typer(
    help="Dateline: news articles in, political event data out.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
