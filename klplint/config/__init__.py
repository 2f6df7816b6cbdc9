"""Configuration of a run: the frozen Config (settings) and where it comes from (files: pyproject.toml, .klplint.toml, flags)."""
