"""kpatch patches: a unified diff against a kernel tree, turned into the patch model kpatch-build would make and checked like a livepatch module."""
