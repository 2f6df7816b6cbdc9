"""`python -m klplint` runs the command line."""
from klplint.entry import main

main()
