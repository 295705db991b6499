"""Event coding: articles in, PLOVER/CAMEO event mentions out (see ``coder.Coder``)."""

from dateline.coding.coder import Coder

__all__ = ["Coder"]
