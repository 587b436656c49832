"""Importers for the files NHS England publishes, one module per format: the monthly A&E
provider CSV (`ae`), the RTT full CSV data file's incomplete pathways (`rtt`) and the Cancer
Waiting Times provider extract's 62-day rows (`cwt`).

Each reads the file in the layouts NHS England has published it in (another layout is refused,
naming the columns it lacks), reports every bad row with its row number, column and reason,
and writes all or nothing: real observations (`illustrative=False`, replacing illustrative
ones) per provider, standard and month, each with a source naming the publication and month.
Importing the same file again changes nothing; a corrected file updates only what changed.
"""

from systems.importers import UploadFormat

from ..importers import OBSERVATIONS_UPLOAD
from . import ae, cwt, rtt

__all__ = ["FORMATS", "UPLOADS"]

# The command's --format names, and each format's importer.
FORMATS = {"ae": ae.import_ae_file, "rtt": rtt.import_rtt_file, "cwt": cwt.import_cwt_file}


def _upload(slug: str, module, run, description: str) -> UploadFormat:
    return UploadFormat(
        slug, module.KIND, description, OBSERVATIONS_UPLOAD.permissions, run, ("skip_skippable",)
    )


UPLOADS = (
    _upload(
        "nhse-ae",
        ae,
        ae.import_ae_file,
        "Monthly-AE-<Month>-<Year>.csv as published, in any of its layouts since 2019: "
        "the 4-hour standard over all department types, and type 1 alone.",
    ),
    _upload(
        "nhse-rtt",
        rtt,
        rtt.import_rtt_file,
        "The month's RTT full CSV data file (or its header and Part_2 rows): patients "
        "waiting within 18 weeks of all incomplete pathways, by provider.",
    ),
    _upload(
        "nhse-cwt",
        cwt,
        cwt.import_cwt_file,
        "The Cancer Waiting Times provider data extract, its sheet saved as CSV: 62 days "
        "from urgent referral to first treatment, by provider and month.",
    ),
)
