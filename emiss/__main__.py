"""Run emiss as 'python -m emiss'."""

from .cli import main

main()
