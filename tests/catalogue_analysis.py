"""Issue 16, degenerate inputs to the analysis functions (S01–S70): one unit, two units, every value
equal, all missing, values near 1e308 or ±inf, groupings that cover nothing, too few draws.

Each case is an input a small or odd dataset really produces (a county panel, five cities, one
year). The statistic either refuses with a :class:`~dgkit.errors.DgkitError` that says which
statistic, why it is undefined and what it needs, or returns a result that says so in words — in
English and in Chinese (a case returns both, separated by `` | ``), never "nan".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from dgkit import errors as E

GD, ZJ, JS, SD, BJ, SH = "440000", "330000", "320000", "370000", "110000", "310000"
SIX = [GD, ZJ, JS, SD, BJ, SH]


def _s(values, ids=None, name=None) -> pd.Series:
    return pd.Series(values, index=ids or SIX[: len(values)], dtype=float, name=name)


def _both(result, key: str | None = None) -> str:
    """A result in both languages: a Missing's reason (en | zh), a StatResult's sentence and its
    catalogue text (en, zh) when ``key`` is given."""
    from dgkit.stats.result import Missing

    if isinstance(result, Missing):
        return f"{result.explain('en')} | {result.explain('zh')}"
    out = result.sentence
    if key:
        out += f" | {result.text(key, 'en')} | {result.text(key, 'zh')}"
    return out


def _panel(cols: dict) -> pd.DataFrame:
    return pd.DataFrame({k: _s(v) for k, v in cols.items()})


def _fw(pillars: int = 2) -> dict:
    if pillars == 1:
        return {"name": "t", "pillars": [{"code": "P", "name": "P", "weight": 1}],
                "indicators": [{"code": "a", "name": "a", "parent": "P", "type": "count"}]}
    return {"name": "t", "pillars": [{"code": "P", "name": "P", "weight": 0.5}, {"code": "Q", "name": "Q", "weight": 0.5}],
            "indicators": [{"code": "a", "name": "a", "parent": "P", "type": "count"}, {"code": "b", "name": "b", "parent": "Q", "type": "count"},
                           {"code": "c", "name": "c", "parent": "Q", "type": "count"}]}


def _data(n: int = 5, **cols) -> pd.DataFrame:
    base = {"a": [1.0, 2, 3, 4, 5, 6], "b": [5.0, 3, 4, 1, 2, 6], "c": [2.0, 2, 3, 3, 9, 1]}
    df = pd.DataFrame({"unit_id": SIX[:n], "year": 2020, **{k: v[:n] for k, v in base.items()}})
    for k, v in cols.items():
        df[k] = v
    return df


def _build(n: int = 5, pillars: int = 2, **options):
    from dgkit.framework import load_framework
    from dgkit.pipeline.build import build

    df = _data(n) if pillars == 2 else _data(n)[["unit_id", "year", "a"]]
    return build(df, load_framework(_fw(pillars)), **options)


# ------------------------------------------------------------------ correlation, ranking
def _pearson_two(tmp: Path):
    from dgkit.stats.correlation import correlate

    correlate(_s([60.0, 55.0], name="score"), _s([11.0, 7.0], name="gdp"), methods=("pearson",))


def _economy_constant_index(tmp: Path):
    from dgkit.stats.correlation import economy

    return _both(economy(_s([80.0] * 5), _s([11.0, 7.0, 10.0, 8.0, 4.0])))


def _economy_zero_gdp(tmp: Path):
    from dgkit.stats.correlation import economy

    economy(_s([60.0, 55.0, 58.0, 52.0]), _s([0.0, 7.0, 10.0, 8.0]))


def _correlate_constant(tmp: Path):
    from dgkit.stats.correlation import correlate

    return _both(correlate(_s([1.0, 2.0, 3.0, 4.0]), _s([5.0] * 4)))


def _economy_three(tmp: Path):
    from dgkit.stats.correlation import economy

    return _both(economy(_s([60.0, 55.0, 58.0]), _s([11.0, 7.0, 10.0])), "economy")


def _ols_one(tmp: Path):
    from dgkit.stats.correlation import fit_log_gdp

    fit_log_gdp(_s([60.0]), _s([11.0]))


def _rank_all_missing(tmp: Path):
    from dgkit.stats.ranking import rank

    rank(_s([np.nan, np.nan, np.nan], name="score"))


def _rank_inf(tmp: Path):
    from dgkit.stats.ranking import rank

    rank(_s([60.0, np.inf, 58.0]))


# ------------------------------------------------------------------ dispersion, Theil, convergence
def _describe_ddof(tmp: Path):
    from dgkit.stats.dispersion import describe

    describe(_s([60.0, 55.0]), ddof=2)


def _describe_negative(tmp: Path):
    from dgkit.stats.dispersion import describe

    return _both(describe(_s([-0.4, 0.2, 0.9, 1.3])), "dispersion")


def _describe_huge(tmp: Path):
    from dgkit.stats.dispersion import describe

    return _both(describe(_s([1e308, 1.5e308, 1.7e308, 1e308, 1.2e308])))


def _gini_negative(tmp: Path):
    from dgkit.stats.dispersion import gini

    gini(_s([-1.0, 2.0, 3.0]))


def _theil_equal(tmp: Path):
    from dgkit.stats.dispersion import theil_decomposition

    return _both(theil_decomposition(_s([70.0] * 6), pd.Series(list("EEWWCC"), index=SIX)))


def _sigma_one_period(tmp: Path):
    from dgkit.stats.dispersion import sigma_convergence

    return _both(sigma_convergence(_panel({2020: [60.0, 55.0, 58.0]})))


def _sigma_negative(tmp: Path):
    from dgkit.stats.dispersion import sigma_convergence

    return _both(sigma_convergence(_panel({2019: [-1.0, 2.0, 3.0], 2020: [-1.0, 2.0, 4.0]})), "sigma_convergence")


def _beta_years(tmp: Path):
    from dgkit.stats.dispersion import beta_convergence

    beta_convergence(_s([1.0, 2, 3, 4, 5, 6]), _s([2.0, 3, 3, 5, 5, 7]), 0)


def _dagum_equal(tmp: Path):
    from dgkit.stats.dagum import dagum_gini

    return _both(dagum_gini(_panel({2019: [50.0, 60, 70, 80], 2020: [75.0] * 4}), pd.Series(list("EEWW"), index=SIX[:4])))


def _panel_beta_within(tmp: Path):
    from dgkit.stats.convergence import beta_convergence

    growth = {2018: 1.0, 2019: 1.1, 2020: 1.3, 2021: 1.4}  # every unit grows alike: ln y = unit + period effect exactly
    return _both(beta_convergence(_panel({y: [g * b for b in (10.0, 20, 30, 40, 50, 60)] for y, g in growth.items()}), "conditional"))


def _panel_beta_equal(tmp: Path):
    from dgkit.stats.convergence import beta_convergence

    return _both(beta_convergence(_panel({2018: [50.0] * 6, 2019: [55.0] * 6, 2020: [60.0] * 6}), "absolute"))


# ------------------------------------------------------------------ regions
def _regions_no_cover(tmp: Path):
    from dgkit.stats.regions import regional_structure

    regional_structure(_s([60.0, 55.0, 58.0]), "城市类型", members=pd.DataFrame({"unit_id": ["深圳", "杭州"], "group": ["A", "B"]}))


def _regions_negative(tmp: Path):
    from dgkit.stats.regions import summarise

    return _both(summarise(_s([-0.8, 0.3, 0.5, 1.1]), {"四大地带": pd.Series(["东部", "东部", "西部", "西部"], index=SIX[:4])}), "regions")


def _tier_shares_none(tmp: Path):
    from dgkit.stats.regions import tier_shares

    tier_shares(pd.Series({GD: "引领型", ZJ: "优质型"}), pd.DataFrame({"unit_id": ["深圳"], "group": ["副省级城市"]}))


# ------------------------------------------------------------------ progress
def _adv_equal(tmp: Path):
    from dgkit.stats.progress import advancement_rate

    return _both(advancement_rate(_panel({2020: [50.0, 60, 70], 2022: [80.0, 80, 80]})))


def _adv_one(tmp: Path):
    from dgkit.stats.progress import advancement_rate

    return _both(advancement_rate(_panel({2020: [50.0], 2022: [60.0]})))


def _adv_zero_base(tmp: Path):
    from dgkit.stats.progress import advancement_rate

    return _both(advancement_rate(_panel({2020: [0.0, 2, 3, 4], 2022: [1.0, 2, 4, 5]}), "relative_change"))


def _zscore_constant(tmp: Path):
    from dgkit.stats.progress import zscore_table

    return _both(zscore_table(_panel({2020: [50.0, 60, 70], 2021: [65.0] * 3})))


def _mobility_constant(tmp: Path):
    from dgkit.stats.progress import rank_mobility

    return _both(rank_mobility(_panel({2020: [50.0, 60, 70, 65], 2022: [100.0] * 4})))


# ------------------------------------------------------------------ density, spatial, Markov
def _kde_constant(tmp: Path):
    from dgkit.stats.density import kernel_density

    return _both(kernel_density(_panel({2020: [70.0] * 6, 2021: [72.0] * 6})))


def _kde_bandwidth(tmp: Path):
    from dgkit.stats.density import kernel_density

    kernel_density(_s([1.0, 2, 3, 4, 5]), bandwidth=0)


def _kde_left_out(tmp: Path):
    from dgkit.stats.density import kernel_density

    return _both(kernel_density(_panel({2019: [1.0, 1, 1, 1], 2020: [1.0, 2, 3, 5], 2021: [2.0, 3, 3, 7]})), "kernel_density")


def _ring(n: int, units: int):
    from dgkit.stats.spatial import weights_from_table

    ids = [f"c{i}" for i in range(units)]
    m = pd.DataFrame(np.zeros((units, units)), index=ids, columns=ids)
    for a in range(n):
        m.iat[a, (a + 1) % n] = m.iat[(a + 1) % n, a] = 1
    return weights_from_table(m), ids


def _moran_equal(tmp: Path):
    from dgkit.stats.spatial import moran

    w, ids = _ring(6, 6)
    return _both(moran(pd.Series(3.0, index=ids), w))


def _moran_no_links(tmp: Path):
    from dgkit.stats.spatial import moran

    w, ids = _ring(0, 6)
    return _both(moran(pd.Series(np.arange(6.0), index=ids), w))


def _moran_islands(tmp: Path):
    from dgkit.stats.spatial import moran

    w, ids = _ring(6, 8)  # c6 and c7 have no neighbour
    return _both(moran(pd.Series(np.arange(8.0), index=ids), w), "moran")


def _markov_unvisited(tmp: Path):
    from dgkit.stats.markov import markov_chain

    p = _panel({2019: [1.0, 2, 3, 4, 5, 6], 2020: [1.1, 2.2, 3.3, 4.4, 5.5, 6.6], 2021: [7.2, 6, 4.8, 3.6, 2.4, 1.2]})
    return _both(markov_chain(p, k=3, scheme="fixed", cuts=[3.5, 100]), "markov")


def _markov_ties(tmp: Path):
    from dgkit.stats.markov import markov_chain

    return _both(markov_chain(_panel({2019: [0.0, 0, 0, 0, 1, 2], 2020: [0.0, 0, 0, 1, 1, 2]})))


def _markov_k1(tmp: Path):
    from dgkit.stats.markov import markov_chain

    markov_chain(_panel({2019: [1.0, 2, 3], 2020: [2.0, 1, 3]}), k=1)


def _markov_empty(tmp: Path):
    from dgkit.stats.markov import markov_chain

    return _both(markov_chain(_panel({2019: [np.nan] * 3, 2020: [np.nan] * 3})))


def _spatial_markov_equal(tmp: Path):
    from dgkit.stats.markov import spatial_markov

    w, ids = _ring(6, 6)
    return _both(spatial_markov(pd.DataFrame({2019: 5.0, 2020: 5.0}, index=ids), w, k=2))


# ------------------------------------------------------------------ concordance
def _concordance_two(tmp: Path):
    from dgkit.stats.concordance import rank_concordance

    return _both(rank_concordance({"本指数": _s([60.0, 55.0, 58.0]), "CPSC 2019": _s([0.7, 0.5], [GD, ZJ])}))


def _kendalls_w_ties(tmp: Path):
    from dgkit.stats.concordance import kendalls_w

    kendalls_w(pd.DataFrame({"a": _s([1.0] * 4), "b": _s([2.0] * 4)}))


def _kappa_one_category(tmp: Path):
    from dgkit.stats.concordance import weighted_kappa

    return _both(weighted_kappa(pd.Series(["A"] * 4, index=SIX[:4]), pd.Series(["A"] * 4, index=SIX[:4]), ["A", "B", "C"]))


# ------------------------------------------------------------------ MCDA, pillars
def _topsis_identical(tmp: Path):
    from dgkit.stats.mcda import topsis

    return _both(topsis(pd.DataFrame({"x": _s([3.0] * 5), "y": _s([7.0] * 5)})))


def _entropy_topsis_constant(tmp: Path):
    from dgkit.stats.mcda import entropy_topsis

    X = pd.DataFrame({"x": _s([1.0, 2, 3, 4, 5]), "y": _s([5.0, 3, 4, 1, 2]), "z": _s([1.0] * 5)})
    return _both(entropy_topsis(X), "entropy_topsis")


def _obstacle_none(tmp: Path):
    from dgkit.stats.mcda import obstacle_degree

    X = pd.DataFrame({"x": _s([2.0] * 4), "y": _s([9.0] * 4)})
    return _both(obstacle_degree(X, pd.Series({"x": 0.5, "y": 0.5})))


def _coupling_range(tmp: Path):
    from dgkit.stats.mcda import coupling_coordination

    coupling_coordination(pd.DataFrame({"治理": _s([0.3, 0.5, 62.0]), "服务": _s([0.4, 0.6, 0.7])}))


def _profile_empty(tmp: Path):
    from dgkit.stats.pillars import profile

    profile(pd.DataFrame({"P": _s([np.nan] * 3), "Q": _s([np.nan] * 3)}))


def _strengths_one(tmp: Path):
    from dgkit.stats.pillars import strengths

    return _both(strengths(pd.DataFrame({"P": _s([60.0]), "Q": _s([40.0])}), _s([50.0])))


# ------------------------------------------------------------------ tiers
def _percentile_few(tmp: Path):
    from dgkit.tiers import TSINGHUA_LABELS, percentile_tiers

    percentile_tiers(_s([80.0, 70.0, 60.0]), [0.1, 0.25, 0.45, 0.65], TSINGHUA_LABELS)


def _five_equal_flat(tmp: Path):
    from dgkit.tiers import five_equal_parts

    five_equal_parts(_s([88.0] * 4))


def _classify_undefined(tmp: Path):
    from dgkit.tiers import classify

    schemes = [{"name": "tsinghua_fixed", "scheme": "fixed", "thresholds": [70, 65, 60, 50]},
               {"name": "tsinghua_percentile", "scheme": "percentile", "cuts": [0.1, 0.25, 0.45, 0.65]}]
    return _both(classify(_s([72.0, 66.0, 58.0]), schemes), "tiers")


def _natural_breaks_one(tmp: Path):
    from dgkit.tiers import natural_breaks

    return f"{GD}: {natural_breaks(_s([66.0]), 4).iat[0]}"


# ------------------------------------------------------------------ uncertainty
def _mc_one_draw(tmp: Path):
    from dgkit.uncertainty import monte_carlo

    monte_carlo(_build(), n=1)


def _sobol_small(tmp: Path):
    from dgkit.uncertainty import sobol

    sobol(_build(), n=4)


def _loo_one(tmp: Path):
    from dgkit.uncertainty import leave_one_out

    leave_one_out(_build(pillars=1))


def _mc_one_unit(tmp: Path):
    from dgkit.uncertainty import monte_carlo

    monte_carlo(_build(n=1), n=100)


def _sobol_still(tmp: Path):
    from dgkit.uncertainty import sobol

    return _both(sobol(_build(pillars=1), n=8, num_resamples=20), "sobol")


# ------------------------------------------------------------------ normalisation, weights, aggregation, build
def _rank_norm_one(tmp: Path):
    from dgkit.normalise import rank

    rank(pd.DataFrame({"INF01": _s([12.0])}))


def _zscore_one_sample(tmp: Path):
    from dgkit.normalise import zscore

    zscore(pd.DataFrame({"INF01": _s([12.0, np.nan])}), ddof=1, context=" in 2021")


def _minmax_empty(tmp: Path):
    from dgkit.normalise import minmax

    minmax(pd.DataFrame({"INF01": _s([1.0, 2.0]), "DAT04": _s([np.nan, np.nan])}), context=" in 2021")


def _ccid_negative(tmp: Path):
    from dgkit.normalise import ccid

    ccid(pd.DataFrame({"INF01": _s([-3.0, 5.0, 9.0])}), types={"INF01": "count"}, context=" in 2020")


def _minmax_inf(tmp: Path):
    from dgkit.normalise import minmax

    minmax(pd.DataFrame({"INF01": _s([1.0, np.inf, 3.0])}), context=" in 2020")


def _zscore_huge(tmp: Path):
    from dgkit.normalise import zscore

    z = zscore(pd.DataFrame({"x": _s([1e308, 1.5e308, 1.7e308, 1e308])}))["x"]
    return "z-scores of values near 1e308: " + ", ".join(f"{u} {v:+.3f}" for u, v in z.items())


def _entropy_zero(tmp: Path):
    from dgkit.weights import entropy

    entropy(pd.DataFrame({"a": _s([0.0] * 4), "b": _s([0.0] * 4)}))


def _entropy_negative(tmp: Path):
    from dgkit.weights import entropy

    entropy(pd.DataFrame({"a": _s([0.2, -0.1, 0.7]), "b": _s([0.1, 0.3, 0.5])}))


def _weights_zero_sum(tmp: Path):
    from dgkit.aggregate import aggregate

    aggregate(pd.DataFrame({"a": _s([1.0, 2.0]), "b": _s([3.0, 4.0])}), pd.Series({"a": 0.0, "b": 0.0}), label=" (P, 2020)")


def _topsis_build_identical(tmp: Path):
    from dgkit.framework import load_framework
    from dgkit.pipeline.build import build

    build(_data(5, a=1.0, b=1.0, c=1.0), load_framework(_fw()), aggregation="topsis")


def _pca_single_child(tmp: Path):
    from dgkit.framework import load_framework
    from dgkit.pipeline.build import build

    b = build(_data(5), load_framework(_fw()), weights="pca")
    return "PCA weights with a one-indicator pillar: " + ", ".join(f"{k} {v:.3f}" for k, v in b.weights.items())


def _build_unit_without_values(tmp: Path):
    from dgkit.framework import load_framework
    from dgkit.pipeline.build import build

    b = build(_data(5, a=[np.nan, 2, 3, 4, 5], b=[np.nan, 3, 4, 1, 2], c=[np.nan, 2, 3, 3, 9]), load_framework(_fw()))
    return "; ".join(x for x in b.log if x.startswith("no index"))


# id, category, bad input, callable, exception (None = a report, not an error), must contain
CASES = [
    ("S01", "analysis", "a Pearson correlation of two units", _pearson_two, E.AnalysisError,
     ["Pearson correlation needs at least 3 units with both values", "got 2", "440000 广东", "330000 浙江"]),
    ("S02", "analysis", "the economy correlations of an index that is the same for every unit", _economy_constant_index, None,
     ["all 5 units have the same value", "全部 5 个单位的数值相同"]),
    ("S03", "analysis", "a GDP of 0 (ln GDP)", _economy_zero_gdp, E.AnalysisError, ["ln GDP needs a positive GDP", "GDP is 0 for 440000 广东"]),
    ("S04", "analysis", "a correlation with a variable that does not vary", _correlate_constant, None,
     ["R undefined", "the second variable has the same value for all 4 units"]),
    ("S05", "analysis", "a correlation with GDP on three units (no confidence interval)", _economy_three, None,
     ["no CI: Fisher's z needs n > 3", "单位不足 4 个, 无置信区间", "n = 3"]),
    ("S06", "analysis", "the regression on ln GDP of one unit", _ols_one, E.AnalysisError,
     ["regression of the index on ln GDP needs at least 3 units", "got 1 (440000 广东)"]),
    ("S07", "analysis", "a ranking where every score is missing", _rank_all_missing, E.AnalysisError,
     ["column 'score'", "no scores to rank", "every one of the 3 units' scores is missing"]),
    ("S08", "analysis", "an infinite score (a division by zero upstream)", _rank_inf, E.AnalysisError,
     ["a ranking needs finite values", "330000 浙江 has inf", "division by zero"]),
    ("S09", "analysis", "an SD with ddof = 2", _describe_ddof, E.AnalysisError, ["ddof must be 0 (population) or 1 (sample)", "got 2"]),
    ("S10", "analysis", "the dispersion of scores that include a negative one (CV, Gini)", _describe_negative, None,
     ["CV and Gini undefined", "1 unit(s) score zero or less", "二者以均值为基准, 有 1 个单位的得分不为正"]),
    ("S11", "analysis", "the dispersion of values near 1e308 (the sum overflows)", _describe_huge, None,
     ["SD = 2.79e+307", "CV = 0.218", "Gini = 0.119"]),
    ("S12", "analysis", "a Gini coefficient of negative values", _gini_negative, E.AnalysisError,
     ["Gini coefficient needs non-negative values with a positive mean", "1 negative value(s)"]),
    ("S13", "analysis", "a Theil decomposition where every unit scores the same", _theil_equal, None,
     ["all 6 units have the same value: there is no inequality to decompose", "没有差异可以分解"]),
    ("S14", "analysis", "σ-convergence of one period", _sigma_one_period, None, ["only 1 period(s); this needs at least 2", "只有 1 期数据"]),
    ("S15", "analysis", "σ-convergence of a panel with negative values (CV)", _sigma_negative, None,
     ["the CV is undefined", "so this sentence judges by the SD", "变异系数无定义 (有一期含负值或均值不为正), 判断以标准差为准"]),
    ("S16", "analysis", "β-convergence over 0 years", _beta_years, E.AnalysisError, ["divides the growth by the time", "got 0"]),
    ("S17", "analysis", "a Dagum decomposition of a period where every unit is equal", _dagum_equal, None,
     ["all 4 units have the same value", "no inequality to decompose", "0/0"]),
    ("S18", "analysis", "conditional β-convergence where every unit grows alike", _panel_beta_within, None,
     ["ln y has no variation left", "the conditional β is not identified", "条件 β 无法识别"]),
    ("S19", "analysis", "absolute β-convergence where every unit is equal in each period", _panel_beta_equal, None,
     ["all 6 units have the same value", "全部 6 个单位的数值相同"]),
    ("S20", "analysis", "a grouping that covers none of the scored units", _regions_no_cover, E.AnalysisError,
     ["grouping 城市类型 covers none of the 3 scored units", "440000 广东", "its first ids: 深圳, 杭州"]),
    ("S21", "analysis", "regional shares of scores below zero (a z-score index)", _regions_negative, None,
     ["no shares of the national total", "1 unit(s) score below zero", "占全国总量的份额没有意义"]),
    ("S22", "analysis", "tier shares where no tiered unit is in a group", _tier_shares_none, E.AnalysisError,
     ["none of the 2 units with a tier is in a group"]),
    ("S23", "analysis", "推进率 (Z-score change) when every unit has the same score in the last period", _adv_equal, None,
     ["the Z-scores of 2022 are undefined", "Z 分数无定义"]),
    ("S24", "analysis", "推进率 of one unit", _adv_one, None, ["only 1 unit(s)", "只有 1 个单位"]),
    ("S25", "analysis", "推进率 as relative change from a score of 0", _adv_zero_base, None,
     ["2020→2022 undefined", "1 unit(s) score zero or less in 2020", "440000 广东"]),
    ("S26", "analysis", "Z-scores of a period where every unit scores the same", _zscore_constant, None,
     ["the Z-scores of 2021 are undefined", "2021 年的 Z 分数无定义"]),
    ("S27", "analysis", "rank mobility into a period where every unit scores the same", _mobility_constant, None,
     ["all 4 units have the same score in 2022", "Kendall's τ is undefined", "Kendall τ 无定义"]),
    ("S28", "analysis", "a kernel density of data that do not vary", _kde_constant, None,
     ["all 6 units have the same value", "全部 6 个单位的数值相同"]),
    ("S29", "analysis", "a kernel density with bandwidth 0", _kde_bandwidth, E.AnalysisError, ["positive bandwidth factor", "got 0"]),
    ("S30", "analysis", "a kernel density of a panel with one flat period", _kde_left_out, None,
     ["left out: 2019", "not estimated for 2019", "2019 期不足三个单位或各单位数值相同, 未估计"]),
    ("S31", "analysis", "Moran's I where every unit has the same value", _moran_equal, None,
     ["all 6 units have the same value", "全部 6 个单位的数值相同"]),
    ("S32", "analysis", "Moran's I with weights that link no unit", _moran_no_links, None,
     ["none of the 6 units has a neighbour in the weights", "都没有邻居"]),
    ("S33", "analysis", "Moran's I with two islands (units without a neighbour)", _moran_islands, None,
     ["2 unit(s) without a neighbour left out (c6, c7)", "2 个单位在权重中没有邻居 (孤岛), 未纳入"]),
    ("S34", "analysis", "a Markov chain whose top class is never visited (fixed cut-offs)", _markov_unvisited, None,
     ["no steady state: class C3 is never observed", "类型 C3 从未出现"]),
    ("S35", "analysis", "a quantile Markov chain of a county panel full of zeros", _markov_ties, None,
     ["the 4-quantile cut-offs coincide (0, 0, 0.75)", "too many equal values to form 4 classes", "分位数分界点重合"]),
    ("S36", "analysis", "a Markov chain with one class", _markov_k1, E.AnalysisError, ["a Markov chain needs two or more classes", "got 1"]),
    ("S37", "analysis", "a Markov chain of an all-missing panel", _markov_empty, None, ["only 0 unit(s)", "只有 0 个单位"]),
    ("S38", "analysis", "a spatial Markov chain where every value is equal", _spatial_markov_equal, None,
     ["all 6 units have the same value", "全部 6 个单位的数值相同"]),
    ("S39", "analysis", "rank concordance of two indices that share two units", _concordance_two, None,
     ["only 2 unit(s) have both the index and CPSC 2019 (3 needed)", "与 CPSC 2019 共同的单位只有 2 个"]),
    ("S40", "analysis", "Kendall's W when every index ties all the units", _kendalls_w_ties, E.AnalysisError,
     ["Kendall's W is 0/0", "every index ties all 4 units"]),
    ("S41", "analysis", "a weighted kappa where every unit is in one category", _kappa_one_category, None,
     ["all 4 units are A on one side and A on the other", "κ is 0/0", "加权 κ 为 0/0"]),
    ("S42", "analysis", "TOPSIS of identical alternatives", _topsis_identical, None,
     ["all 5 units have the same value on every indicator", "贴近度为 0/0"]),
    ("S43", "analysis", "entropy-TOPSIS with an indicator that is the same for every unit", _entropy_topsis_constant, None,
     ["constant over the units, weight 0: z", "z is the same for every unit", "z 在各单位间取值相同, 不含信息, 熵权为 0"]),
    ("S44", "analysis", "an obstacle degree where every deviation is 0", _obstacle_none, None,
     ["every deviation is 0, so there is no obstacle to rank", "偏离度全为 0"]),
    ("S45", "analysis", "coupling coordination of a subsystem on 0–100 instead of 0–1", _coupling_range, E.AnalysisError,
     ["column '治理'", "scores in [0, 1]", "治理 is 62 for 320000 江苏", "score / 100"]),
    ("S46", "analysis", "pillar means of a table with no values", _profile_empty, E.AnalysisError,
     ["pillar means: no unit has a pillar score", "3 row(s), every cell missing"]),
    ("S47", "analysis", "pillar strengths of one unit", _strengths_one, None, ["only 1 unit", "只有 1 个单位"]),
    ("S48", "analysis", "PCA weights of a pillar with one indicator", _pca_single_child, None, ["a 1.000", "P 0.500"]),
    ("S49", "analysis", "percentile tiers (five tiers) on three units", _percentile_few, E.AnalysisError,
     ["need at least as many units as tiers", "got 3 unit(s) (440000 广东, 330000 浙江, 320000 江苏) for 5 tiers", "特色型"]),
    ("S50", "analysis", "五等分 by range when every unit scores the same", _five_equal_flat, E.AnalysisError,
     ["五等分 by range", "all 4 unit(s) score 88 (max = min)", "by='count'"]),
    ("S51", "analysis", "tier schemes of which one is undefined on three units", _classify_undefined, None,
     ["tsinghua_percentile undefined", "scheme tsinghua_percentile is undefined on these scores", "方案 tsinghua_percentile 在这些得分上无定义"]),
    ("S52", "analysis", "natural breaks (4 echelons) of one unit", _natural_breaks_one, None, ["440000: 第一梯队"]),
    ("S53", "analysis", "a Monte Carlo analysis with one draw", _mc_one_draw, E.AnalysisError, ["needs 2 or more draws", "got 1"]),
    ("S54", "analysis", "a Sobol analysis with N = 4", _sobol_small, E.AnalysisError, ["needs 8 or more base samples", "got 4"]),
    ("S55", "analysis", "leave-one-out with a one-indicator framework", _loo_one, E.AnalysisError,
     ["leave-one-out needs two or more indicators", "framework 't' has 1 (a)"]),
    ("S56", "analysis", "Monte Carlo rank intervals of one unit", _mc_one_unit, E.AnalysisError,
     ["needs two or more units with an index value in 2020", "got 1 (440000 广东)", "always first"]),
    ("S57", "analysis", "a Sobol analysis where no input can move a rank (one pillar)", _sobol_still, None,
     ["no input moves any rank, so every Sobol index is 0", "没有任何输入改变排名"]),
    ("S58", "analysis", "a rank normalisation of one unit", _rank_norm_one, E.NormalisationError,
     ["indicator INF01 has a value for one unit only (440000 广东: 12)", "needs two or more units"]),
    ("S59", "analysis", "a sample-SD z-score (ddof = 1) of one unit", _zscore_one_sample, E.NormalisationError,
     ["indicator INF01 in 2021 has a value for 1 unit(s)", "sample SD (ddof = 1) needs two or more"]),
    ("S60", "analysis", "a min-max of an indicator with no values", _minmax_empty, E.NormalisationError,
     ["indicator DAT04 in 2021 has no values", "min-max cannot be fitted"]),
    ("S61", "analysis", "a negative count under CCID's ln(1 + X/X̄)", _ccid_negative, E.NormalisationError,
     ["count indicator INF01 in 2020 has a negative value (-3 for unit 440000 广东)", "counts X ≥ 0"]),
    ("S62", "analysis", "an infinite value under min-max", _minmax_inf, E.NormalisationError,
     ["indicator INF01 in 2020 is inf for unit 330000 浙江", "needs finite values"]),
    ("S63", "analysis", "z-scores of values near 1e308 (mean and SD overflow)", _zscore_huge, None,
     ["440000 -0.973", "330000 +0.649", "320000 +1.298"]),
    ("S64", "analysis", "entropy weights of indicators that are all zero", _entropy_zero, E.NormalisationError,
     ["entropy weights are undefined", "no indicator carries information"]),
    ("S65", "analysis", "entropy weights of data with a negative value", _entropy_negative, E.NormalisationError,
     ["non-negative data", "indicator a is -0.1 for unit 330000 浙江"]),
    ("S66", "analysis", "aggregation weights that sum to 0", _weights_zero_sum, E.NormalisationError,
     ["the weights of a, b (P, 2020) sum to 0"]),
    ("S67", "analysis", "a TOPSIS aggregation of identical units", _topsis_build_identical, E.NormalisationError,
     ["TOPSIS closeness (P, 2020) is 0/0", "the ideal and the anti-ideal coincide"]),
    ("S68", "analysis", "a build where one unit has no indicator value", _build_unit_without_values, None,
     ["no index for 1 unit(s) in 2020 (440000 广东)", "they are not ranked"]),
    ("S69", "analysis", "a fixed Markov cut-off list with a repeated value", lambda tmp: __import__("dgkit.stats.markov", fromlist=["x"]).markov_chain(
        _panel({2019: [1.0, 2, 3], 2020: [2.0, 1, 3]}), k=3, scheme="fixed", cuts=[2.0, 2.0]), E.AnalysisError,
     ["fixed Markov cut-offs must be distinct", "got [2.0, 2.0]"]),
    ("S70", "analysis", "CRITIC weights where every child of a pillar is constant", lambda tmp: _build_critic(), E.NormalisationError,
     ["CRITIC weights are undefined", "every indicator (b, c) is constant over the 5 units", "children of Q (b, c)"]),
]


def _build_critic():
    from dgkit.framework import load_framework
    from dgkit.pipeline.build import build

    build(_data(5, b=3.0, c=3.0), load_framework(_fw()), weights="critic")
