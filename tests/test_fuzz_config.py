"""Issue 16, part 5: fuzzing of the configuration a researcher writes — YAML text, params, frameworks.

Whatever the input, the kit answers with a :class:`~dgkit.errors.DgkitError` that says where (the
file, the row when it is about one place, the key or column), never a raw traceback.
"""

from __future__ import annotations

import math
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dgkit.errors import DgkitError, FrameworkError, ParamsError, ParamsProblems

FUZZ = settings(max_examples=int(__import__("os").environ.get("FUZZ_N", 100)), deadline=None, suppress_health_check=[HealthCheck.too_slow])

# ---------------------------------------------------------------------------------------------- YAML text
_scalar = st.one_of(
    st.sampled_from(["x", "1.10", "yes", "no", "on", "null", "~", "0012", "1e3", "1:20", "0x1F", ".nan", "-.inf", "2020-01-01",
                     "2020-13-45", "2020-02-30", "!!int abc", "!!float x", "!!bool maybe", "!!timestamp 2020-99-99", "!!set [a]",
                     "'quoted'", '"dq \\u00e9"', "|", ">", "-", "?", ":", "&a", "*a", "*b", "!!str 1", "!!python/object:os.system x",
                     "!foo x", "!!binary aGk=", "[", "]", "{", "}", "广东", "\t"]),
    st.text(min_size=0, max_size=8),
)
_key = st.one_of(st.sampled_from(["a", "a", "b", "edition", "code", "yes", "1.10", "<<", "? [k]", "~", "0012", "2020-13-45", "1:20"]),
                 st.text(max_size=4))


@st.composite
def yaml_texts(draw: st.DrawFn) -> str:
    """YAML-ish text: mappings and lists, flow and block, with anchors, aliases, tags, duplicate keys,
    deep nesting, tabs and stray documents mixed in."""
    lines = []
    for _ in range(draw(st.integers(0, 12))):
        indent = " " * draw(st.sampled_from([0, 0, 2, 4, 1]))
        kind = draw(st.integers(0, 7))
        if kind == 0:
            lines.append(f"{indent}{draw(_key)}: {draw(_scalar)}")
        elif kind == 1:
            lines.append(f"{indent}- {draw(_scalar)}")
        elif kind == 2:
            lines.append(f"{indent}{draw(_key)}: &{draw(st.sampled_from('ab'))} [{', '.join(draw(st.lists(_scalar, max_size=4)))}]")
        elif kind == 3:
            n = draw(st.integers(1, 120))
            lines.append(f"{indent}{draw(_key)}: " + "[" * n + draw(_scalar) + "]" * draw(st.sampled_from([n, n - 1, 0])))
        elif kind == 4:
            lines.append(f"{indent}{draw(_key)}: [" + ", ".join(["*a"] * draw(st.integers(1, 300))) + "]")
        elif kind == 5:
            lines.append(draw(st.sampled_from(["---", "...", "%YAML 1.1", "\tkey: v", "a: {x: 1, x: 2}", "- {code: 1, code: 2}",
                                               "<<: *a", "? complex\n: v", "a: &r [*r]"])))
        elif kind == 6:
            lines.append(f"{indent}{draw(_key)}:")
        else:
            lines.append(draw(st.text(max_size=20)))
    return "\n".join(lines) + draw(st.sampled_from(["", "\n"]))


_payload = st.one_of(
    yaml_texts().map(lambda t: t.encode("utf-8", "surrogatepass")),
    yaml_texts().map(lambda t: t.encode("gb18030", "replace")),
    yaml_texts().map(lambda t: t.encode("utf-16")),
    st.binary(max_size=200),
    st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
)


@FUZZ
@given(data=_payload, kind=st.sampled_from([None, "params", "dataset", "framework"]))
def test_safe_load_yaml_returns_or_names_the_file(data: bytes, kind: str | None) -> None:
    from dgkit.params import safe_load_yaml

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "fuzz.yaml"
        p.write_bytes(data)
        try:
            doc = safe_load_yaml(p, kind=kind)
        except DgkitError as exc:
            assert "fuzz.yaml" in str(exc), str(exc)
            assert "Traceback" not in str(exc)
            if isinstance(exc, ParamsError) and exc.row is not None:
                assert 1 <= exc.row <= data.count(b"\n") + 2, (exc.row, str(exc))
            return
        if kind:
            assert isinstance(doc, dict)


def test_safe_load_yaml_is_fast_on_an_alias_bomb(tmp_path: Path) -> None:
    """The classic nine-level "billion laughs" (under 600 bytes) is refused on its events, in well under a second."""
    import time

    from dgkit.params import safe_load_yaml

    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    p = tmp_path / "laughs.yaml"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(ParamsError, match=r"laughs.yaml, row \d+: more than 200,000 values"):
        safe_load_yaml(p)
    assert time.perf_counter() - t0 < 1.0


# ---------------------------------------------------------------------------------------------- params
_value = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**12), 10**12), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["", "x", "all", "/", "../data", "CON", "a b", "数字", "\x00", "2020", "un_egdi", "ccid_2020", "fixed", "percentile",
                     "five_equal", "natural_breaks", "minmax", "contiguity", "scott", "reports/x", "~"]),
    st.lists(st.one_of(st.integers(-5, 3000), st.floats(allow_nan=True), st.text(max_size=4), st.booleans()), max_size=5),
    st.dictionaries(st.text(max_size=5), st.integers(-3, 3), max_size=3),
)


@st.composite
def params_dicts(draw: st.DrawFn) -> dict:
    """A params mapping built from the SCHEMA's keys (nested ones too) with values of any type."""
    from dgkit.params import ANY, SCHEMA

    d: dict = {}
    for key in draw(st.lists(st.sampled_from(sorted(SCHEMA)), max_size=8, unique=True)):
        spec = SCHEMA[key]
        if isinstance(spec, dict) and draw(st.booleans()):
            sub = sorted(spec)
            d[key] = {k: draw(_value) for k in draw(st.lists(st.sampled_from(sub), max_size=4, unique=True))}
            if draw(st.booleans()):
                d[key][draw(st.sampled_from(["thresold", "clases", "kapa", "methd"]))] = draw(_value)
        elif isinstance(spec, list) and draw(st.booleans()):
            from dgkit.params import _TIER_SCHEME

            d[key] = [{k: draw(_value) for k in draw(st.lists(st.sampled_from(sorted(_TIER_SCHEME)), max_size=5, unique=True))}
                      for _ in range(draw(st.integers(0, 2)))]
        elif spec is ANY and draw(st.booleans()):
            d[key] = {draw(st.sampled_from(["gdp", "population", "x"])): {"year": draw(_value), "vintage": draw(_value)}}
        else:
            d[key] = draw(_value)
    if draw(st.booleans()):
        d.setdefault("edition", draw(st.sampled_from(["e", "/abs", "../data", "x.failed", "nul"])))
    return d


@FUZZ
@given(d=params_dicts())
def test_validate_params_names_the_file_and_a_column_for_every_problem(d: dict) -> None:
    from dgkit.params import validate_params

    with tempfile.TemporaryDirectory() as tmp:
        file = str(Path(tmp) / "fuzz_params.yaml")
        try:
            validate_params(d, file)
        except ParamsProblems as exc:
            assert exc.problems
            for p in exc.problems:
                assert p.file == file, str(p)
                assert p.column, f"no column: {p}"
                assert "Traceback" not in str(p)


def test_validate_params_refuses_numbers_given_as_true_or_nan() -> None:
    """Python counts true as 1: ``jobs: true`` must still be refused, and NaN is no threshold."""
    from dgkit.params import validate_params

    with pytest.raises(ParamsProblems) as info:
        validate_params({"edition": "e", "jobs": True, "dispersion": {"threshold": math.nan}, "seed": -1}, "p.yaml")
    cols = sorted(p.column for p in info.value.problems)
    assert cols == ["dataset", "dispersion.threshold", "index", "jobs", "seed"], cols


# ---------------------------------------------------------------------------------------------- frameworks
_code = st.one_of(st.sampled_from(["P", "Q", "R", "a", "b", "c", "index", ""]), st.integers(-2, 30), st.floats(allow_nan=True),
                  st.booleans(), st.none(), st.text(max_size=3))
_weight = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-3, 100), st.booleans(),
                    st.sampled_from(["60%", "40%", "1/3", "2/3", "1/0", "abc", "", "0.5", "５０％"]))
_direction = st.one_of(st.none(), st.sampled_from([1, -1, 0, 2, "+", "-", "positive", "负向", "up", True, 1.0, math.nan]))


@st.composite
def framework_dicts(draw: st.DrawFn) -> dict:
    def entry(indicator: bool) -> dict:
        e = {"code": draw(_code), "name": draw(st.one_of(st.just("n"), st.none(), st.integers()))}
        if indicator or draw(st.booleans()):
            e["parent"] = draw(_code)
        if draw(st.booleans()):
            e["weight"] = draw(_weight)
        if indicator and draw(st.booleans()):
            e["direction"] = draw(_direction)
        if indicator and draw(st.booleans()):
            e["type"] = draw(st.sampled_from(["count", "index", "ratio", None, 1]))
        return e

    d: dict = {"name": "fuzz"}
    for key, ind in (("pillars", False), ("indicators", True)):
        shape = draw(st.integers(0, 5))
        if shape == 0:
            continue
        if shape == 1:
            d[key] = draw(st.one_of(st.text(max_size=3), st.integers(), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
                                    st.lists(st.text(max_size=2), max_size=2)))
        else:
            d[key] = [entry(ind) for _ in range(draw(st.integers(0, 4)))]
    if draw(st.booleans()):
        d["index"] = draw(st.one_of(st.just({"code": "index"}), st.just({"code": "P"}), st.text(max_size=2)))
    return d


@FUZZ
@given(d=framework_dicts())
def test_load_framework_names_a_column_or_builds_a_valid_tree(d: dict) -> None:
    from dgkit.framework import load_framework

    try:
        fw = load_framework(d)
    except FrameworkError as exc:
        assert exc.column, f"no column: {exc}"
        assert "Traceback" not in str(exc)
        return
    except DgkitError as exc:  # pragma: no cover - any other refusal must still say where
        assert exc.column if hasattr(exc, "column") else False, str(exc)
        return
    w = fw.weights_within_parent()
    assert w.notna().all() and (w >= 0).all(), w
    for _parent, sib in w.groupby(fw.parents):
        assert math.isclose(float(sib.sum()), 1.0, rel_tol=1e-6)
    assert set(fw.directions()) <= {1, -1}


# ---------------------------------------------------------------------------------------------- the rules other parts re-use
ROOT = Path(__file__).resolve().parents[1]


def test_the_bundled_yaml_files_read_exactly_as_plain_yaml() -> None:
    """Keeping names as text and refusing duplicate keys changes nothing in the kit's own YAMLs."""
    import yaml

    from dgkit.params import safe_load_yaml

    files = [*ROOT.glob("data/**/*.yaml"), *ROOT.glob("params/*.yaml"), ROOT / "dgkit" / "report" / "labels.yaml"]
    assert len(files) > 15
    for f in files:
        kind = "framework" if f.parent.name == "frameworks" else "dataset" if f.parent.name == "datasets" else \
            "params" if f.parent.name == "params" else None
        with open(f, encoding="utf-8") as fh:
            assert safe_load_yaml(f, kind=kind) == yaml.safe_load(fh), f


def test_numbers_stay_numbers_outside_the_name_keys(tmp_path: Path) -> None:
    from dgkit.params import safe_load_yaml

    p = tmp_path / "p.yaml"
    p.write_text("edition: 2020\nyear: 2020\ncompare: [2018, 2020]\nseed: 1_000\ngroupings: [2020, 1.10]\n"
                 "index: {options: {weights: {2: entropy}}}\n", encoding="utf-8")
    notes: list[str] = []
    d = safe_load_yaml(p, kind="params", notes=notes)
    assert d == {"edition": "2020", "year": 2020, "compare": [2018, 2020], "seed": 1000, "groupings": ["2020", "1.10"],
                 "index": {"options": {"weights": {2: "entropy"}}}}
    assert len(notes) == 1 and "groupings: 1.10 kept as the text '1.10'" in notes[0], notes  # 2020 → "2020" loses nothing


@pytest.mark.parametrize(("text", "number"), [("seed: 0012", "12 for the number"), ("thresholds: [070, 65]", "70 for the number"),
                                                      ("year: 20:20", "a number without ':'")])
def test_numbers_yaml_would_read_as_octal_or_base_60_are_refused(tmp_path: Path, text: str, number: str) -> None:
    from dgkit.params import safe_load_yaml

    p = tmp_path / "p.yaml"
    p.write_text(f"edition: x\n{text}\n", encoding="utf-8")
    with pytest.raises(ParamsError, match=r"p.yaml, row 2: YAML reads .* as the number") as info:
        safe_load_yaml(p, kind="params")
    assert f"expected {number}" in str(info.value), str(info.value)


def test_check_output_folder_allows_any_folder_of_the_user_and_none_of_the_kit(tmp_path: Path) -> None:
    from dgkit.params import check_output_folder

    assert check_output_folder(ROOT / "reports", file=None, column="--out") == (ROOT / "reports").resolve()
    assert check_output_folder(tmp_path / "new" / "reports", file=None, column="--out") == (tmp_path / "new" / "reports").resolve()
    (tmp_path / "link").symlink_to(ROOT / "params")
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    for bad, needle in [(ROOT / "data", "inside the kit's own 'data' folder"), (ROOT / "dgkit" / "sub", "'dgkit' folder"),
                        (ROOT / ".git", "'.git' folder"), (tmp_path / "link" / "out", "'params' folder"),
                        (ROOT, "the project folder itself"), (ROOT.parent, "a folder that contains the project"),
                        (tmp_path / "f.txt", "an existing file"), (ROOT / "reports" / ".." / "tests", "'tests' folder")]:
        with pytest.raises(ParamsError) as info:
            check_output_folder(bad, file=None, column="--out")
        assert needle in str(info.value) and "column '--out'" in str(info.value), str(info.value)


@pytest.mark.parametrize(("name", "slug"), [
    ("a/b", "a-b"), ("..", "my-edition"), (".hidden", "hidden"), ("x.lab", "x"), ("nul.txt", "nul-edition"), ("é2020", "e2020"),
    ("", "my-edition"), ("C:\\reports", "C-reports"), ("~/x", "x"), ("a" * 70, "a" * 64), ("2024 省级", "2024"), ("a\x00b", "a-b"),
])
def test_check_edition_name_refuses_what_is_no_plain_folder_name_and_suggests_one(name: str, slug: str) -> None:
    from dgkit.params import EDITION_RE, check_edition_name

    with pytest.raises(ParamsError) as info:
        check_edition_name(name, file="p.yaml")
    assert info.value.column == "edition" and info.value.suggestion == slug, str(info.value)
    assert EDITION_RE.match(slug)
    assert check_edition_name(slug, file="p.yaml") == slug


def test_check_edition_name_accepts_the_kits_editions() -> None:
    from dgkit.params import check_edition_name

    for name in ("2020", "nbs", "demo", "egdi3-2016", "v1.2_final", "A" * 64):
        assert check_edition_name(name, file=None) == name
