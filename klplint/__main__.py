"""`python -m klplint` runs the command line."""
from .entry import main

main()
