"""`python -m airecruiter` is the `airecruiter` command."""

from airecruiter.launcher import main

main()
