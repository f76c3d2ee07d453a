"""`python -m airecruiter` is the `airecruiter` command."""

from airecruiter.cli import main

main()
