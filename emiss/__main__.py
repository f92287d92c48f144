"""Run emiss as 'python -m emiss'."""

from emiss.cli import main

main()
