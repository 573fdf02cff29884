"""国脉 2023 五等分: which reading gives the printed "4 of 32" (the count reading is not a claim of the register: it is a reading the print rules out).

The release prints only the four first-tier scores, so the two readings are tested on cohorts that
complete the printed four with scores of our own (below 80.13, as the print implies): the count
reading gives 6 first-tier units whatever the scores; the range reading gives the printed four
exactly when the lowest score is below 45.73, and then the provincial SD exceeds 5 as printed."""

import numpy as np
import pandas as pd
import pytest

from dgkit import tiers
from dgkit.stats import dispersion

PRINTED = {"浙江": 88.73, "北京": 88.60, "上海": 80.50, "广东": 80.13}
BOUND = 88.73 - 5 * (88.73 - 80.13)  # 45.73: the largest lowest score for which 广东 stays in the first part


def cohort(lowest: float, seed: int = 0) -> pd.Series:
    rng = np.random.default_rng(seed)
    rest = rng.uniform(lowest, 70.0, 27)
    return pd.Series({**PRINTED, **{f"u{i}": v for i, v in enumerate(rest)}, "last": lowest})


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("lowest", [20.0, 45.0, 60.0])
def test_the_count_reading_never_gives_four_of_32(lowest, seed):
    t = tiers.five_equal_parts(cohort(lowest, seed), by="count")
    assert (t == "第一梯队").sum() == 6


@pytest.mark.parametrize("engine", ["numpy", "mapclassify"])
def test_the_range_reading_gives_the_printed_four_when_the_lowest_score_is_below_45_73(engine):
    assert abs(BOUND - 45.73) < 1e-9
    low = tiers.five_equal_parts(cohort(45.0), by="range", engine=engine)
    assert set(low[low == "第一梯队"].index) == set(PRINTED)
    high = tiers.five_equal_parts(cohort(46.0), by="range", engine=engine)
    assert set(high[high == "第一梯队"].index) == {"浙江", "北京", "上海"}  # 广东 80.13 falls to the second part


def test_under_the_range_reading_the_provincial_sd_exceeds_the_threshold_5():
    # the smallest SD compatible with the printed four and a lowest score of 45.73: the other 27 equal
    sds = [dispersion.describe(pd.Series([*PRINTED.values(), BOUND, *[v] * 27]), threshold=5).facts["sd"]
           for v in np.linspace(BOUND, 80.13, 400)]
    assert min(sds) > 6.3
