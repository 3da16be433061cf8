"""Handbook job-family pages ⇄ family data.

* :func:`import_path` / :func:`import_text` read a job-family page of the handbook (or a
  folder holding an index page and one page per level) into the mapping of a
  ``ladder/data/<family>.yaml`` file, with :class:`ImportWarning` objects (file, line,
  message) for whatever could not be placed.
* :func:`export_family` / :func:`export_mapping` write family data as a readable page in
  the handbook's style; importing that page gives the data back exactly.
"""

from ladder.handbook.context import Context
from ladder.handbook.exporter import export_family, export_mapping
from ladder.handbook.importer import ImportResult, import_path, import_text
from ladder.handbook.mapping import family_mapping
from ladder.handbook.state import ImportWarning

__all__ = [
    "Context",
    "ImportResult",
    "ImportWarning",
    "export_family",
    "export_mapping",
    "family_mapping",
    "import_path",
    "import_text",
]
