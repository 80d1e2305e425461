"""``python -m functions``: the same command line as ``guongmau``."""

from functions.cli import main

main()
