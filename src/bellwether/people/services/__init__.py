"""Importing and exporting people and org units: the only code that writes them in bulk.

Reading and checking are plain Python (``people/importing``); these modules load what
the organisation already has, ask for a plan, and write only the rows that change, in
one transaction, with one audit row. A file with any error writes nothing.

One module per workflow, re-exported here so callers keep ``people.services.<name>``:

* ``people_records``: people from a file or the API's records;
* ``org_units``: org units likewise;
* ``person``: one person at a time (SCIM provisioning), with the import's checks;
* ``export``: the people export (CSV, XLSX);
* ``import_jobs``: the upload that keeps a file and the worker that imports it;
* ``_shared`` and ``_database``: reading a file, and the raw reads and writes.
"""

from __future__ import annotations

from bellwether.core.errors import DomainError
from bellwether.people.importing import ImportResult, RowError
from bellwether.people.services.export import CONTENT_TYPES, export_people
from bellwether.people.services.import_jobs import (
    KINDS,
    import_job_header,
    run_import_job,
    set_import_job_mapping,
    start_import_job,
)
from bellwether.people.services.org_units import import_org_units, upsert_org_unit_records
from bellwether.people.services.people_records import import_people, upsert_people_records
from bellwether.people.services.person import PersonUpsert, upsert_person

__all__ = [
    "CONTENT_TYPES",
    "KINDS",
    "DomainError",
    "ImportResult",
    "PersonUpsert",
    "RowError",
    "export_people",
    "import_job_header",
    "import_org_units",
    "import_people",
    "run_import_job",
    "set_import_job_mapping",
    "start_import_job",
    "upsert_org_unit_records",
    "upsert_people_records",
    "upsert_person",
]
