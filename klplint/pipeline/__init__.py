"""From files to results: collect, analyse one file (parse, extract, rules, engine), many files (cache, --jobs), suppressions and baselines."""
