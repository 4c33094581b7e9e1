"""Import of the partner directory from the shared open data, the curated
corrections (directory/curated/) and the referral rules (directory/rules/)."""
from directory.importing.errors import ImportDataError
from directory.importing.paths import CURATED_DIR, RULES_DIR, default_data_dir
from directory.importing.report import ImportReport, Rejection, TableCounts
from directory.importing.runner import run_import

__all__ = [
    "CURATED_DIR",
    "RULES_DIR",
    "ImportDataError",
    "ImportReport",
    "Rejection",
    "TableCounts",
    "default_data_dir",
    "run_import",
]
