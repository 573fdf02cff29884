"""Documented limits on what dgkit reads and computes (issue 16).

Every limit is checked before any work starts and answered with a :class:`~dgkit.errors.DgkitError`
that names the file or key, the limit and the value found. The README's params reference and
``docs/errors.md`` list them.
"""

from __future__ import annotations

# Files
MAX_DATA_FILE_BYTES = 200 * 1024**2   # a CSV/TSV/XLSX data file (200 MB: 100× the largest honest panel we know)
MAX_XLSX_UNPACKED_BYTES = 10 * MAX_DATA_FILE_BYTES  # what an .xlsx (a zip) may unpack to: blocks zip bombs
MAX_YAML_BYTES = 2 * 1024**2          # a params, dataset or framework YAML (2 MB)
MAX_YAML_ALIASES = 200                # YAML aliases (*name) in one document: blocks "billion laughs" expansion
MAX_YAML_NODES = 200_000              # scalar/sequence/mapping nodes after alias expansion
MAX_YAML_DEPTH = 50                   # nesting depth of a YAML document

# Messages
MAX_ECHO_CHARS = 200                  # an offending value is echoed in an error message up to this many characters

# Params (checked by dgkit.params before any work)
MAX_MC_DRAWS = 100_000                # robustness.mc_draws
MAX_SOBOL_N = 65_536                  # robustness.sobol_n (Saltelli base sample size; a power of two is best)
MAX_JOBS = 64                         # jobs: chapters run in parallel


def echo(value: object, limit: int = MAX_ECHO_CHARS) -> str:
    """``repr(value)`` cut to ``limit`` characters, saying how long it was (errors never echo megabytes)."""
    text = repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"
