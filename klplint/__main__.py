"""`python -m klplint` runs the command line."""
from .cli import main

main()
