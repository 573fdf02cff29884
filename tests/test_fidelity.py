"""Issue 14: every printed figure the bundled data can recompute is recomputed (dgkit.fidelity).

Each claim's recomputation must agree with the print exactly when the register says ``match`` and
disagree when it says ``inconsistent``; each inconsistency is explained in data/README.md."""

from pathlib import Path

import pytest

from dgkit import fidelity

ROOT = Path(__file__).resolve().parents[1]
CLAIMS = fidelity.claims()


def test_the_register_is_not_empty_and_every_seed_has_claims():
    assert len(CLAIMS) > 0
    assert set(CLAIMS["seed"]) == set(fidelity.SEEDS), set(fidelity.SEEDS) - set(CLAIMS["seed"])


@pytest.mark.parametrize("claim_id", list(CLAIMS["claim_id"]))
def test_claim_agrees_exactly_as_declared(claim_id):
    row = CLAIMS.set_index("claim_id").loc[claim_id].to_dict() | {"claim_id": claim_id}
    value = fidelity.recompute(row)
    ok = fidelity.agrees(row["printed"], value, row["kind"])
    shown = fidelity.shown(row["printed"], value, row["kind"])
    if row["status"] == "match":
        assert ok, f"{claim_id}: printed {row['printed']}, recomputed {shown}"
    else:
        assert not ok, f"{claim_id} is declared inconsistent but recomputes to the print ({shown})"


def test_every_inconsistency_has_an_entry_in_the_data_readme():
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    missing = [c for c in CLAIMS.loc[CLAIMS["status"] == "inconsistent", "claim_id"] if c not in readme]
    assert not missing, missing


def test_every_claim_names_a_bundled_dataset_or_table():
    from dgkit import data
    from dgkit.datasets import catalogue

    known = set(catalogue()["name"]) | set(data.CATALOGUE)
    for r in CLAIMS.itertuples():
        assert set(r.dataset.split()) <= known, (r.claim_id, r.dataset)


def test_agreement_rule_is_half_a_unit_of_the_last_printed_digit():
    assert fidelity.agrees("62.4", 62.449, "number") and not fidelity.agrees("62.4", 62.451, "number")
    assert fidelity.agrees("0.58", 0.575, "number") and not fidelity.agrees("0.58", 0.5749, "number")
    assert fidelity.agrees("26.5%", 26.46, "number") and not fidelity.agrees("4", 4.6, "number")
    assert fidelity.agrees("上海、浙江", ["浙江", "上海"], "set") and not fidelity.agrees("上海", "上海、浙江", "set")
    assert not fidelity.agrees("1", float("nan"), "number")
    assert fidelity.shown("0.580", 0.57961, "number") == "0.580"


def test_verify_reports_an_inconsistency_as_printed_and_recomputed():
    res = fidelity.verify(["tsinghua_2020"])
    t = res.table
    assert res.facts["n"] == len(t) and res.facts["n_unexpected"] == 0
    assert res.facts["n_inconsistent"] == int((~t["agrees"]).sum())
    for item, r in zip(res.facts["inconsistencies"], t[~t["agrees"]].itertuples(), strict=True):
        assert f"printed {r.printed}, recomputed {r.recomputed}" in item
