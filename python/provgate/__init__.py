"""provgate: training-data provenance and licensing policy checks.

Checks what a model was trained on against a licensing policy: whether it may be released
as it is. ``check`` takes a manifest (a path, JSON text or a dict) and returns a Report;
``Session`` checks sources as a pipeline loads them; ``evaluate_shard`` and ``merge`` split a
check across processes, and ``provgate.dask`` runs it on a Dask cluster. See docs/python.md.
"""

from ._core import __version__
from ._api import (Partial, Report, Session, check, evaluate_shard, explain, expr, merge,
                   notice, rule_pack, sign, validate, verify)
from .errors import InvalidInput, OperationalError, ProvgateError
from . import interop, license

__all__ = ["__version__", "check", "validate", "notice", "explain", "rule_pack", "expr",
           "sign", "verify", "Report", "Session", "Partial", "evaluate_shard", "merge",
           "InvalidInput", "OperationalError", "ProvgateError", "license", "interop"]
