"""Issue 14: the default edition runs on real data everywhere; EGDI's flagged rows; the entropy
build beside CCID's formulas; the index's scale; every number checked independently."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats as st

from dgkit.datasets import open_dataset
from dgkit.errors import ParamsError
from dgkit.params import load_params
from dgkit.report.edition import open_edition
from dgkit.stats import Missing, ranking

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def default():
    return open_edition(ROOT / "params" / "2020.yaml")


def test_default_edition_builds_real_data_and_never_the_synthetic_panel(default):
    ix = default.panel_edition()
    assert ix is not default and ix.built and not ix.synthetic and ix.dataset.name == "nbs_digital"
    assert ix.periods == list(range(2013, 2024)) and len(ix.scores()) == 31
    assert not default.synthetic and not default.built  # Tsinghua 2020 stays the published index analysed
    for p in (ROOT / "params").glob("*.yaml"):
        ed = open_edition(p)
        uses = {ed.dataset.name, ed.panel_edition().dataset.name}
        assert ("demo_panel" in uses) == (p.stem == "demo"), p.name


def test_egdi_flags_are_every_zero_and_every_row_off_the_component_mean():
    ds = open_dataset("un_egdi")
    raw = pd.read_csv(ROOT / "data" / "reference" / "un_egdi_2003_2024.csv")
    mean = raw[["osi", "hci", "tii"]].mean(axis=1)
    zero = raw[(raw["egdi"] == 0) & (mean > 0)]
    off = raw[(raw["egdi"] != 0) & ((raw["egdi"] - mean).abs() > 0.0001)]
    f = ds.flags()
    assert set(zip(f.loc[f.reason == "zero", "unit_id"], f.loc[f.reason == "zero", "period"], strict=True)) == set(zip(zero.iso3, zero.survey_year, strict=True))
    assert set(zip(f.loc[f.reason == "deviates", "unit_id"], f.loc[f.reason == "deviates", "period"], strict=True)) == set(zip(off.iso3, off.survey_year, strict=True))
    # every row the source's own note flags is flagged, and nothing from 2014 on deviates
    noted = raw[raw["note"].fillna("").str.contains("EGDI")]
    assert set(zip(noted.iso3, noted.survey_year, strict=True)) <= set(zip(f.unit_id, f.period, strict=True))
    assert f.loc[f.reason == "deviates", "period"].max() <= 2010
    # flagged, not repaired: the values are the printed ones
    assert ds.values.loc[("CAF", 2003), "egdi"] == 0.0


def test_egdi_flags_reach_the_edition_as_a_result():
    r = open_edition(ROOT / "params" / "2023.yaml").data_flags()
    assert r.facts["n"] == r.facts["n_zero"] + r.facts["n_deviates"] == len(r.table) > 0
    assert isinstance(open_edition(ROOT / "params" / "2020.yaml").data_flags(), Missing)


def test_entropy_build_beside_ccid_formulas_equals_an_independent_computation(default):
    ix = default.panel_edition()
    b, v = ix.build(), ix.variant()
    # the variant by hand: CCID's formulas (ln(1+X/X̄)·80 counts, X/X̄·80 index type), X̄ the mean of
    # the year's 31 provinces, equal weights within pillars and between them, on the imputed indicators
    ind = b.framework.indicators.set_index("code")
    raw = b.imputed.xs(2023, level="period")[list(ind.index)].astype(float)
    xbar = raw.mean()
    count = ind["type"].eq("count").to_numpy()
    z = pd.DataFrame(np.where(count, 80 * np.log1p(raw / xbar), 80 * raw / xbar), index=raw.index, columns=raw.columns)
    expected = z.T.groupby(ind["parent"]).mean().T.mean(axis=1)
    got = v.index.xs(2023, level="period")
    assert np.allclose(got.reindex(expected.index), expected, atol=1e-9)
    res = ranking.compare_builds(b, v, 2023, ix.names, ix.variant_labels())
    a, c = b.index.xs(2023, level="period"), got
    rho, p = st.spearmanr(a, c.reindex(a.index))
    assert res.facts["rho"] == pytest.approx(rho) and res.facts["p_rho"] == pytest.approx(p)
    assert res.facts["tau"] == pytest.approx(st.kendalltau(a, c.reindex(a.index))[0])
    t = res.table
    assert (t.iloc[:, 6] == t.iloc[:, 5] - t.iloc[:, 3]).all()  # rank change = rank_b − rank_a
    assert res.facts["n_moved"] == int((t["rank_change"] != 0).sum())
    assert ix.variant_labels() == ("熵权法", "赛迪公式")


def test_variant_and_scale_params_are_validated(tmp_path):
    base = (ROOT / "params" / "nbs.yaml").read_text(encoding="utf-8")
    bad = base.replace("options: {normalisation: ccid, weights: framework, base: per_period}", "options: {normalisaton: ccid}")
    (tmp_path / "p.yaml").write_text(bad + "\n", encoding="utf-8")
    with pytest.raises(ParamsError) as exc:
        load_params(tmp_path / "p.yaml")
    assert "index.variant.options.normalisaton" in str(exc.value) and "normalisation" in str(exc.value)
    (tmp_path / "q.yaml").write_text(base.replace("dispersion: {ddof: 0,", "dispersion: {scale: [100, 0], ddof: 0,"), encoding="utf-8")
    with pytest.raises(ParamsError) as exc:
        load_params(tmp_path / "q.yaml")
    assert "dispersion.scale" in str(exc.value)


def test_index_scale_comes_from_params_dataset_or_recipe(default, tmp_path):
    assert default.index_scale() == (0.0, 100.0)  # Tsinghua: declared in its dataset YAML
    assert open_edition(ROOT / "params" / "2023.yaml").index_scale() == (0.0, 1.0)  # EGDI
    assert default.panel_edition().index_scale() is None  # min-max fitted on 2013 runs above 100: no scale
    demo = open_edition(ROOT / "params" / "demo.yaml")
    assert demo.index_scale() is None  # CCID formulas: not a bounded scale
    mm = demo.build().regen(normalisation="minmax", base="per_period")
    assert float(mm.index.min()) >= 0 and float(mm.index.max()) <= 100


def test_pillar_contributions_add_up_to_the_index(default):
    """The stacked bars of chapter 1: each pillar's part in index points, adding to the index
    (a part is w_pillar × pillar score for arithmetic means with complete data)."""
    ix = default.panel_edition()
    parts = ix.contributions()
    s = ix.scores()
    assert np.allclose(parts.sum(axis=1), s.reindex(parts.index), rtol=1e-9)
    b = ix.build()
    pil = b.scores.xs(ix.year, level="period")[b.top_nodes]
    by_hand = pil.mul(b.pillar_weights, axis=1)
    by_hand.columns = [b.framework.label(c, ix.lang) for c in by_hand.columns]
    assert np.allclose(parts[by_hand.columns], by_hand.reindex(parts.index), rtol=1e-9)
