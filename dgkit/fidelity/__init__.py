"""Every printed figure the bundled data can recompute, recomputed: the claims register.

The five seed reports print numbers (scores, ranks, means, shares, counts, correlations, tallies,
band memberships, orderings). Each one the bundled data can recompute is a row of a claims file,
``data/published/claims/<seed>.csv``::

    claim_id     unique slug, e.g. tsinghua_2020.rank_hainan
    dataset      the bundled dataset(s) the claim is about (space-separated), for an edition's filter
    statement    what the report says, quoted short (the report's language)
    printed      the printed value as printed ("62.4", "4", "上海、浙江")
    kind         number | text | set     (set: members separated by "、", order ignored)
    check        the name of a recomputation registered with :func:`check`
    args         keyword arguments of that recomputation as JSON ({} when none)
    status       match | inconsistent    (what the recomputation shows, declared and tested)
    explanation  for inconsistent: what the report contradicts (itself or its own table) and what
                 the kit keeps; every one has an entry in data/README.md
    source       report and section or table

A number agrees when it is within half a unit of the printed value's last digit
(``|recomputed − printed| ≤ 0.5·10^−d``, d = printed decimals): the report rounded it. Text agrees
when equal after trimming; a set when it has the same members.

The recomputations live beside this module, one file per seed, and read only bundled data
(:mod:`dgkit.data`, :func:`dgkit.datasets.open_dataset`). :func:`verify` runs them and returns a
:class:`~dgkit.stats.result.StatResult`: the table of claims (printed, recomputed, agrees) and, as
facts, every inconsistency as "printed X, recomputed Y". The tests check that every claim agrees
exactly as its status declares, so a change of data or code that moves any printed figure fails.
"""

from __future__ import annotations

import functools
import importlib
import json
import math
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

#: seed key → (claims file stem, report's short name). The recomputations are in dgkit/fidelity/<key>.py.
SEEDS: dict[str, str] = {
    "ccid_2020": "CCID 2020",
    "tsinghua_2020": "Tsinghua CDG 2020",
    "cstc_2019": "CSTC 2019",
    "guomai_2023": "国脉 2023",
    "caict_2021": "CAICT 2021",
    "cpsc_2019": "中央党校 2019",
}

CHECKS: dict[str, Callable[..., Any]] = {}
_MEMOS: list[Any] = []

COLUMNS = ["claim_id", "dataset", "statement", "printed", "kind", "check", "args", "status", "explanation", "source"]


def check(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Register a recomputation under its function name (unique across seeds)."""
    name = fn.__name__
    if name in CHECKS and CHECKS[name] is not fn:
        raise ValueError(f"claims check {name!r} is registered twice")
    CHECKS[name] = fn
    return fn


def cached(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Memoise a helper that several recomputations share (a table, a framework) for the length of
    one :func:`verify` or :func:`recompute` call; what it returns is read, never modified."""
    memo = functools.lru_cache(maxsize=None)(fn)
    _MEMOS.append(memo)
    return memo


def _forget() -> None:
    for m in _MEMOS:
        m.cache_clear()


def _load_checks() -> None:
    for seed in SEEDS:
        try:
            importlib.import_module(f"dgkit.fidelity.{seed}")
        except ModuleNotFoundError as exc:  # a seed without recomputations yet
            if exc.name != f"dgkit.fidelity.{seed}":
                raise


def _claims(seed: str) -> pd.DataFrame:
    """A claims file (its full pandera schema, ``schemas.CLAIMS``, is checked by the tests)."""
    from dgkit import data
    from dgkit.errors import DataValidationError

    df = data.load(f"claims_{seed}")
    missing = [c for c in COLUMNS if c not in df.columns]
    if missing:
        raise DataValidationError(f"claims file lacks column(s) {missing}", file=str(data.path(f"claims_{seed}")), column=missing[0])
    return df.assign(seed=seed)


def claims(seeds: Iterable[str] | None = None) -> pd.DataFrame:
    """The claims register (a fresh copy), of ``seeds`` (default: all)."""
    keys = list(SEEDS) if seeds is None else list(seeds)
    unknown = [s for s in keys if s not in SEEDS]
    if unknown:
        raise KeyError(f"unknown seed(s) {unknown}; known: {list(SEEDS)}")
    frames = [_claims(s) for s in keys]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=[*COLUMNS, "seed"])


def _decimals(printed: str) -> int:
    try:
        exp = Decimal(printed.strip().rstrip("%")).as_tuple().exponent
    except InvalidOperation:
        return 0
    return max(0, -int(exp)) if isinstance(exp, int) else 0


def _number(printed: str) -> float:
    return float(printed.strip().rstrip("%").replace(",", ""))


def _members(v: Any) -> list[str]:
    if isinstance(v, str):
        return [m.strip() for m in v.replace(",", "、").split("、") if m.strip()]
    return [str(m).strip() for m in v]


def agrees(printed: str, recomputed: Any, kind: str) -> bool:
    """Does ``recomputed`` reproduce ``printed``? (the rule is in the module docstring)"""
    if kind == "number":
        try:
            x = float(recomputed)
        except (TypeError, ValueError):
            return False
        if not math.isfinite(x):
            return False
        return abs(x - _number(printed)) <= 0.5 * 10 ** -_decimals(printed) + 1e-9
    if kind == "set":
        return sorted(_members(printed)) == sorted(_members(recomputed))
    return str(recomputed).strip() == printed.strip()


def shown(printed: str, recomputed: Any, kind: str) -> str:
    """``recomputed`` written the way ``printed`` is (its decimals; members in 、 lists)."""
    if kind == "number":
        try:
            x = float(recomputed)
        except (TypeError, ValueError):
            return str(recomputed)
        d = _decimals(printed)
        return f"{x:.{d}f}" + ("%" if printed.strip().endswith("%") else "")
    if kind == "set":
        return "、".join(_members(recomputed))
    return str(recomputed)


def recompute(row: pd.Series | dict[str, Any]) -> Any:
    """Run one claim's recomputation (on the bundled data as they are now)."""
    _forget()
    return _recompute(row)


def _recompute(row: pd.Series | dict[str, Any]) -> Any:
    _load_checks()
    name = row["check"]
    if name not in CHECKS:
        import difflib

        close = difflib.get_close_matches(name, list(CHECKS), n=1)
        raise KeyError(f"claim {row['claim_id']}: no recomputation {name!r}" + (f"; closest: {close[0]!r}" if close else ""))
    args = json.loads(row["args"] or "{}")
    return CHECKS[name](**args)


def verify(seeds: Iterable[str] | None = None, datasets: Iterable[str] | None = None) -> Any:
    """Recompute every claim of ``seeds`` (default all), or only those about ``datasets``.

    Returns a StatResult: ``table`` (claim_id, seed, statement, printed, recomputed, agrees, status,
    explanation, source), facts ``n``, ``n_agree``, ``n_inconsistent``, ``n_unexpected`` (claims
    whose agreement differs from their declared status: a defect) and ``inconsistencies`` (the
    list "claim: printed X, recomputed Y")."""
    from dgkit.stats.result import Missing, StatResult

    df = claims(seeds)
    if datasets is not None:
        want = set(datasets)
        df = df[df["dataset"].str.split().map(lambda ds: bool(want.intersection(ds)))]
    if df.empty:
        return Missing("no printed figures of the bundled reports concern this edition's data", "no_claims")
    rec, ok = [], []
    _forget()
    for _, r in df.iterrows():
        v = _recompute(r)
        rec.append(shown(r["printed"], v, r["kind"]))
        ok.append(agrees(r["printed"], v, r["kind"]))
    t = df.assign(recomputed=rec, agrees=ok)[
        ["claim_id", "seed", "statement", "printed", "recomputed", "agrees", "status", "explanation", "source"]
    ].reset_index(drop=True)
    bad = t[~t["agrees"]]
    unexpected = t[t["agrees"] != (t["status"] == "match")]
    items = [f"{r.statement}: printed {r.printed}, recomputed {r.recomputed}" for r in bad.itertuples()]
    facts = {"n": len(t), "n_agree": int(t["agrees"].sum()), "n_inconsistent": len(bad),
             "n_unexpected": len(unexpected), "n_seeds": int(t["seed"].nunique()), "inconsistencies": items}
    sentence = (f"{len(t)} printed figures recomputed from the bundled data: {facts['n_agree']} agree, "
                f"{len(bad)} do not" + (": " + "; ".join(items) if items else "") + ".")
    items = [{"key": r.claim_id.replace(".", "_"), "statement": r.statement, "printed": r.printed, "recomputed": r.recomputed,
              "explanation": r.explanation or "—", "source": r.source} for r in bad.itertuples()]
    return StatResult(t, sentence, facts, {"unexpected": unexpected, "items": items})
