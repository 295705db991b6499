"""Territorial control over time, and the running figures people cite (docs/control.md).

Downstream of the coder and dedup: reads articles, mentions and events from the store and
derives, on demand, control claims (``ControlReader``), a control timeline per place
(``control_timeline``) and running figures (``FigureReader``, ``figure_series``). Nothing
here is stored; nothing outside the CLI, the API and the web page imports this package.
"""

from dateline.control.model import Area, ControlClaim, Figure, Holder
from dateline.control.rules import ControlRules, ControlRulesError

__all__ = ["Area", "ControlClaim", "ControlRules", "ControlRulesError", "Figure", "Holder"]
