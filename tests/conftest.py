import os

os.environ.setdefault("MPLBACKEND", "Agg")

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def report_2020_result(tmp_path_factory):
    """The default edition's full report (quick mode), run once per test process and shared by
    tests/test_report.py and tests/test_editions.py (their tests that use it share one xdist group,
    so a parallel run builds it once)."""
    from pathlib import Path

    from dgkit.report.runner import run_report

    root = Path(__file__).resolve().parents[1]
    res = run_report(root / "params" / "2020.yaml", out=tmp_path_factory.mktemp("report_2020") / "reports", quick=True, progress=False)
    assert res.ok, res.summary()
    return res
