"""`compatlint rehearse` (placeholder until the rehearsal lands: refuses to pretend)."""

from __future__ import annotations

import sys

import click


@click.command()
def rehearse():
    """Prove each verdict against a real MariaDB/PostgreSQL (not available yet)."""
    click.echo("compatlint: error: rehearse is not implemented yet", err=True)
    sys.exit(2)
