"""`python -m archivegen` runs the command line."""

from archivegen.cli import main

main()
