"""The load floor: validate a workbook whole and load it in one transaction (loader), keep its
original and journal (originals), check frameworks across loads (framework), and rebuild the
database from the kept originals (rebuild)."""

from etl.kinds.common import LoadOptions
from etl.load.loader import load_file, restore, retract, validate_file

__all__ = ["LoadOptions", "load_file", "restore", "retract", "validate_file"]
