"""Issue 2: packaging, CLI, environment.yml in step with pyproject, Chinese fonts."""

import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]


def _pip_requirements() -> set[str]:
    d = tomllib.loads((ROOT / "pyproject.toml").read_text())
    reqs = d["project"]["dependencies"] + d["project"]["optional-dependencies"]["dev"]
    return {r.replace(" ", "").lower() for r in reqs}


def test_environment_yml_lists_the_same_packages_and_pins():
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip_block = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    listed = {p.replace(" ", "").lower() for p in pip_block if not p.startswith("-e")}
    assert listed == _pip_requirements()
    assert all("==" in r for r in listed), "every package is pinned exactly"


def test_layout_is_the_users():
    for name in ("notebooks", "dgkit", "data", "params", "tests", "environment.yml", "README.md"):
        assert (ROOT / name).exists(), name


def test_ci_runs_make_test():
    text = (ROOT / ".ci" / "run").read_text()
    assert "make test" in text


def test_cli_help_and_version():
    out = subprocess.run([sys.executable, "-m", "dgkit", "--help"], capture_output=True, text=True, check=True).stdout
    for sub in ("report", "lab", "validate", "data", "make-demo"):
        assert sub in out
    v = subprocess.run([sys.executable, "-m", "dgkit", "--version"], capture_output=True, text=True, check=True).stdout
    import dgkit

    assert v.strip() == f"dgkit {dgkit.__version__}"


def test_import_is_light():
    code = "import sys, dgkit; heavy = [m for m in ('scipy', 'statsmodels', 'seaborn', 'matplotlib', 'papermill', 'pandera') if m in sys.modules]; print(','.join(heavy))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"import dgkit pulled in {out}"


def test_chinese_labels_render_without_missing_glyphs(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from dgkit.plotting import use_style

    use_style("zh")
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        fig, ax = plt.subplots()
        ax.bar(["广东", "浙江", "新疆生产建设兵团"], [75.2, 73.4, 40.0])
        ax.set_title("数字政府建设指数（赛迪 2020）")
        ax.set_ylabel("指数 −1")
        fig.savefig(tmp_path / "zh.png")
        fig.savefig(tmp_path / "zh.pdf")
        plt.close(fig)
    assert (tmp_path / "zh.png").stat().st_size > 1000


def test_missing_glyph_would_be_caught(tmp_path):
    """The check above is real: a font without CJK glyphs does warn."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.sans-serif": ["DejaVu Sans"]}), pytest.warns(UserWarning, match="missing from font"):
        fig, ax = plt.subplots()
        ax.set_title("广东")
        fig.savefig(tmp_path / "x.png")
        plt.close(fig)
