"""One exception hierarchy for everything dgkit refuses.

Every error a user can trigger with their own files derives from :class:`DgkitError` and says,
in plain language, *where* (file, row, column), *what was expected*, *what was found* and, where
there is one, *the closest valid value*.

Row numbers are spreadsheet rows: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dgkit.limits import MAX_ECHO_CHARS, echo


class DgkitError(Exception):
    """Base class of all dgkit errors."""


class InputError(DgkitError, ValueError):
    """A problem in a user's input (data file, framework, params), located precisely."""

    def __init__(
        self,
        problem: str,
        *,
        file: str | Path | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        got: Any = None,
        suggestion: str | list[str] | None = None,
    ) -> None:
        self.problem = problem
        self.file = str(file) if file is not None else None
        self.row = row
        self.column = column
        self.expected = expected
        self.got = got
        self.suggestion = suggestion
        super().__init__(self._format())

    def _format(self) -> str:
        where = []
        if self.file:
            where.append(self.file)
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column '{self.column}'")
        text = (", ".join(where) + ": " if where else "") + self.problem
        if self.expected is not None:
            text += f"; expected {self.expected}"
        if self.got is not None:
            text += f", got {echo(self.got)}"
        if self.suggestion:
            sug = self.suggestion
            if isinstance(sug, list | tuple):
                sug = ", ".join(map(str, sug))
            text += f" (closest valid: {sug})"
        if len(text) > 20 * MAX_ECHO_CHARS:  # a problem text built from user input: never echo megabytes
            text = text[: 20 * MAX_ECHO_CHARS] + f"… ({len(text):,} characters in all)"
        return text


class UnknownUnitError(InputError):
    """A unit name (province, city, country) that the resolver does not know."""


class AmbiguousUnitError(InputError):
    """A unit name that matches more than one known unit."""


class DataValidationError(InputError):
    """A table that fails its schema (dtype, range, duplicates, missing column)."""


class FrameworkError(InputError):
    """An indicator framework that is inconsistent (parents, cycles, weights, directions)."""


class NormalisationError(DgkitError, ValueError):
    """A normalisation that cannot be computed honestly (zero base mean, constant indicator)."""


class AnalysisError(InputError):
    """An analysis whose input makes the statistic undefined (empty, one unit, SD = 0, too few draws).

    The message says which statistic, why it is undefined and what input would make it defined."""


class StepError(InputError):
    """An unknown pipeline step, build option or option value (names the valid ones)."""


class ParamsError(InputError):
    """A params file that is invalid (unknown key, wrong type, unsafe YAML, bad path)."""


class ParamsProblems(ParamsError):
    """Every problem of a params file at once (``problems`` holds one :class:`ParamsError` each)."""

    def __init__(self, file: str | Path, problems: list[ParamsError]) -> None:
        self.problems = problems
        if len(problems) == 1:
            p = problems[0]
            super().__init__(p.problem, file=p.file, row=p.row, column=p.column, expected=p.expected, got=p.got, suggestion=p.suggestion)
            return
        lines = [f"{len(problems)} problems in params file {file}:"]
        lines += [f"  - {str(p).removeprefix(str(file) + ', ').removeprefix(str(file) + ': ')}" for p in problems]
        self.problem = "\n".join(lines)
        self.file, self.row, self.column, self.expected, self.got, self.suggestion = str(file), None, None, None, None, None
        Exception.__init__(self, self.problem)


class ReportError(DgkitError, RuntimeError):
    """The report runner could not complete."""


class ReportInterrupted(ReportError):
    """The run was stopped by SIGINT (Ctrl-C) or SIGTERM; ``exit_code`` is 130 or 143 (128 + signal)."""

    def __init__(self, signal_name: str, exit_code: int, detail: str = "") -> None:
        self.signal_name = signal_name
        self.exit_code = exit_code
        super().__init__(f"interrupted by {signal_name}" + (f": {detail}" if detail else ""))


class OutputExistsError(ReportError):
    """A report already exists and --force was not given."""


class ChapterError(ReportError):
    """One or more chapters failed; the message names each chapter and its failing cell."""

    def __init__(self, failures: list[dict[str, Any]]) -> None:
        self.failures = failures
        lines = ["chapter(s) failed:"]
        for f in failures:
            lines.append(
                f"  - {f['chapter']}: cell {f.get('cell', '?')}: {f.get('error', 'unknown error')}"
                f" (partial notebook kept at {f.get('notebook', '?')})"
            )
        super().__init__("\n".join(lines))


class DatasetError(InputError):
    """A dataset (YAML and its files) with problems; ``problems`` lists every one of them at once."""

    def __init__(self, spec: str | Path, problems: list[Any]) -> None:
        self.problems = problems
        lines = [f"{len(problems)} problem(s) in dataset {spec}:"]
        lines += [f"  - {p}" for p in problems[:200]]
        if len(problems) > 200:
            lines.append(f"  … and {len(problems) - 200} more")
        super().__init__("\n".join(lines))

    def _format(self) -> str:  # the message is built in __init__
        return self.problem
