import os

os.environ.setdefault("MPLBACKEND", "Agg")
if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    # the suite already runs in parallel (pytest-xdist): each report runs its chapters in one kernel,
    # which imports the libraries once instead of once per kernel
    os.environ.setdefault("DGKIT_JOBS", "1")
# kernels outlive a report and serve the next one of the same test process (dgkit/report/runner.py,
# DGKIT_KEEP_KERNELS): the many small runs of the suite pay the kernel start-up once
os.environ.setdefault("DGKIT_KEEP_KERNELS", "1")

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


# Longest files first (measured with --durations=0): pytest-xdist's worksteal gives the first half of the
# collection to one worker, which starts on the longest files (their module-scoped reports stay together at
# the head of its queue), while the other works through the short ones and steals from the tail.
HEAVY_FIRST = ("test_editions.py", "test_report_editions.py", "test_run_safety.py", "test_spatial.py", "test_uncertainty.py", "test_report.py")


def pytest_collection_modifyitems(config, items):
    rank = {name: i for i, name in enumerate(HEAVY_FIRST)}
    items.sort(key=lambda it: rank.get(it.path.name, len(rank)))  # stable: the order within a file is kept
