"""The patch model: the klp tables of a module as the core walks them (model), built from the IR (extract)."""
