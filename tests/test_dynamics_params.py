"""Params of chapter 12 (dynamics, panel_edition) and what the edition makes of them."""

import pytest

from dgkit.errors import ParamsError
from dgkit.params import load_params
from dgkit.report.edition import open_edition
from dgkit.stats import Missing

BASE = "edition: e\ndataset: tsinghua_2020_provinces\nindex: {measure: score}\n"


def _write(tmp_path, text, name="p.yaml"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_every_dynamics_problem_is_reported_at_once(tmp_path):
    p = _write(tmp_path, BASE + "dynamics: {bandwidth: scot, classes: 12, scheme: quantile, cuts: [1, 2], weights: knnn, k: 40,"
                                " permutations: 100000, alpha: 1.5, grouping: 四大地帯}\n")
    with pytest.raises(ParamsError) as e:
        load_params(p)
    text = str(e.value)
    for needle in ("dynamics.bandwidth", "scott", "dynamics.classes", "dynamics.cuts", "dynamics.weights", "knn", "dynamics.k",
                   "dynamics.permutations", "dynamics.alpha", "dynamics.grouping", "四大地带"):
        assert needle in text, needle


def test_panel_edition_is_validated_and_cannot_chain(tmp_path):
    with pytest.raises(ParamsError, match="panel_edition names no params file"):
        load_params(_write(tmp_path, BASE + "panel_edition: missing.yaml\n"))
    _write(tmp_path, "edition: inner\ndataset: un_egdi\nindex: {measure: egdi}\nyear: 2099\n", "bad.yaml")
    with pytest.raises(ParamsError, match="bad.yaml is not valid.*2099"):
        load_params(_write(tmp_path, BASE + "panel_edition: bad.yaml\n", "outer.yaml"))
    _write(tmp_path, "edition: chained\ndataset: un_egdi\nindex: {measure: egdi}\npanel_edition: outer2.yaml\n", "chained.yaml")
    _write(tmp_path, BASE + "panel_edition: chained.yaml\n", "outer2.yaml")
    with pytest.raises(ParamsError):
        load_params(tmp_path / "outer2.yaml")


def test_panel_edition_gives_chapter_12_a_multi_period_index(tmp_path):
    _write(tmp_path, "edition: panel\ndataset: un_egdi\nindex: {measure: egdi}\nyear: 2024\ncompare: [2020, 2022, 2024]\n", "panel.yaml")
    ed = open_edition(_write(tmp_path, BASE + "panel_edition: panel.yaml\n", "main.yaml"))
    assert isinstance(ed.panel(min_periods=3), Missing)  # Tsinghua 2020: one period
    dyn = ed.panel_edition()
    assert dyn.name == "panel" and list(dyn.panel(min_periods=3).columns) == [2020, 2022, 2024]
    assert open_edition(_write(tmp_path, BASE, "alone.yaml")).panel_edition().name == "e"


def test_weights_follow_the_level_and_the_panel(tmp_path):
    prov = open_edition(_write(tmp_path, "edition: n\ndataset: nbs_digital\nindex: {framework: dgkit_nbs_example, options: {impute: interpolate}}\n"
                                         "year: 2023\ncompare: [2021, 2022, 2023]\ndynamics: {weights: knn, k: 3}\n", "n.yaml"))
    w = prov.spatial_weights(prov.panel(3))
    assert len(w.id_order) == 31 and set(w.cardinalities.values()) == {3}
    countries = open_edition(_write(tmp_path, "edition: c\ndataset: un_egdi\nindex: {measure: egdi}\ncompare: [2020, 2022, 2024]\n", "c.yaml"))
    skip = countries.spatial_weights(countries.panel(3))
    assert isinstance(skip, Missing) and "dynamics.weights" in skip.reason
    one = open_edition(_write(tmp_path, BASE, "one.yaml"))
    assert isinstance(one.spatial_weights(one.panel(3)), Missing)  # one period: the panel's reason, not a weights error


def test_validation_reports_instead_of_crashing(tmp_path):
    cases = {"dynamics: {scheme: fixed, cuts: 0.5}\n": "dynamics.cuts",
             "dynamics: {scheme: fixed, cuts: [1, 2], classes: 5}\n": "dynamics.classes",
             f"panel_edition: {tmp_path}\n": "panel_edition names no params file"}
    (tmp_path / "broken.yaml").write_text("edition: [unclosed\n", encoding="utf-8")
    cases["panel_edition: broken.yaml\ndynamics: {classes: 99}\n"] = "dynamics.classes"  # a broken panel edition loses no other problem
    for i, (extra, needle) in enumerate(cases.items()):
        with pytest.raises(ParamsError, match=needle.replace(".", r"\.")):
            load_params(_write(tmp_path, BASE + extra, f"c{i}.yaml"))


def test_subsystems_with_a_constant_pillar_keep_every_unit(tmp_path):
    from dgkit.stats import mcda

    ed = open_edition(_write(tmp_path, "edition: c\ndataset: un_egdi\nindex: {measure: egdi, components: [osi, hci, tii]}\nyear: 2024\n", "c.yaml"))
    P = ed.components()
    assert ed.subsystems().attrs["rule"] == "@scale_unit"
    P2 = P.copy()
    P2.iloc[:, 1] = -1.0  # outside [0, 100] and constant: min-max, the constant pillar at 1
    ed.__dict__["components"] = lambda period=None: P2  # the edition's components replaced for this check only
    subs = ed.subsystems()
    assert subs.attrs["rule"] == "@scale_minmax" and subs.notna().all().all() and (subs.iloc[:, 1] == 1.0).all()
    assert mcda.coupling_coordination(subs).facts["n"] == len(P)
