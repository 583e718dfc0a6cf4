"""`python -m coauthor` runs the command line."""

from coauthor import main

main()
