"""Rule families; importing this package registers every rule with its checks and seals the registry.

The families are imported in this order on purpose: it is the order their checks run in."""
from __future__ import annotations

from klplint.rules import structure  # noqa: F401, I001
from klplint.rules import lifecycle  # noqa: F401
from klplint.rules import replacement  # noqa: F401
from klplint.rules import replacement_window  # noqa: F401
from klplint.rules import shadow  # noqa: F401
from klplint.rules import states  # noqa: F401
from klplint.rules import meta  # noqa: F401
from klplint.rules.registry import REGISTRY

from klplint.rules import kpatch  # noqa: F401  (KLP5xx: their findings come from klplint/kpatch)
REGISTRY.seal()
