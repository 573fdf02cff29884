"""Users' indicator files: repairs are logged, bad input is a clear error (file, row, column)."""

import os
import stat

import numpy as np
import pandas as pd
import pytest

from dgkit.errors import (
    AmbiguousUnitError,
    DataValidationError,
    FrameworkError,
    InputError,
    UnknownUnitError,
)
from dgkit.readers import parse_number, read_indicators


def write(tmp_path, text, name="x.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_wide_and_long_read_the_same(tmp_path):
    wide = write(tmp_path, "province,year,A,B\n广东,2020,1,2\n浙江省,2020,3,4\n", "w.csv")
    long = write(tmp_path, "province,year,indicator,value\n广东,2020,A,1\n广东,2020,B,2\nZhejiang,2020,A,3\n330000,2020,B,4\n", "l.csv")
    a, b = read_indicators(wide), read_indicators(long)
    pd.testing.assert_frame_equal(a.wide, b.wide)
    assert a.wide.loc[("440000", 2020), "B"] == 2.0


def test_repairs_are_logged_not_silent(tmp_path):
    p = write(tmp_path, "省份,年份,A,B,C\n广东,２０２０,\"1,234\",85%,－\n浙江,2020,１２.５,90％,3\n")
    t = read_indicators(p)
    w = t.wide
    assert w.loc[("440000", 2020), "A"] == 1234.0
    assert w.loc[("440000", 2020), "B"] == 85.0
    assert np.isnan(w.loc[("440000", 2020), "C"])
    assert w.loc[("330000", 2020), "A"] == 12.5
    r = t.repairs_frame()
    assert {"thousands separators removed", "percent sign removed (value kept in percent points)"} & set(
        x for s in r["what"] for x in s.split("; "))
    assert (r["row"] == 2).any() and (r["column"] == "B").any()


def test_title_rows_and_empty_unnamed_columns(tmp_path):
    p = write(tmp_path, "数字政府指标 2020 (单位: 个)\n\nprovince,year,A,\n广东,2020,1,\n浙江,2020,2,\n")
    t = read_indicators(p)
    assert t.wide.shape == (2, 1)
    assert any("title" in r.what for r in t.repairs) and any(r.what == "dropped" for r in t.repairs)


def test_exact_duplicate_row_is_dropped_and_logged(tmp_path):
    t = read_indicators(write(tmp_path, "province,year,A\n广东,2020,1\n广东,2020,1\n"))
    assert len(t.long) == 1 and any("duplicate row dropped" in r.what for r in t.repairs)


@pytest.mark.parametrize(
    "text, err, where",
    [
        ("province,year,A\n广栋,2020,1\n", UnknownUnitError, ("row 2", "column 'province'", "广东")),
        ("province,year,A\n广东,2020,八五\n", InputError, ("row 2", "column 'A'", "八五")),
        ("province,year,A\n广东,2020,1\n广东,2020,2\n", DataValidationError, ("rows 2, 3", "row 3")),
        ("province,year,A,B\n广东,2020,1,\n浙江,2020,2,\n", DataValidationError, ("column 'B'", "empty")),
        ("province,year,A,B\n广东,2020,1,NA\n浙江,2020,2,-\n", DataValidationError, ("column 'B'", "all missing")),
        ("province,year,A\n广东,20x0,1\n", InputError, ("row 2", "column 'year'")),
        ("name,A\n广东,1\n", InputError, ("no header row",)),
        ("province,year,A,A\n广东,2020,1,2\n", InputError, ("duplicate column",)),
        ("province,year,A,\n广东,2020,1,5\n", InputError, ("without a header",)),
    ],
)
def test_bad_input_names_file_row_column(tmp_path, text, err, where):
    p = write(tmp_path, text)
    with pytest.raises(err) as exc:
        read_indicators(p)
    msg = str(exc.value)
    assert str(p) in msg
    for w in where:
        assert w in msg, (w, msg)


def test_ambiguous_city_name(tmp_path):
    p = write(tmp_path, "city,year,A\nTaizhou,2020,1\n")
    with pytest.raises(AmbiguousUnitError, match="台州"):
        read_indicators(p, unit_level="city")


def test_framework_checks_on_user_data(tmp_path):
    from dgkit.framework import load_framework

    fw = load_framework("ccid_2020")
    cols = fw.indicator_codes
    good = "province,year," + ",".join(cols) + "\n广东,2020," + ",".join(["1"] * len(cols)) + "\n"
    assert read_indicators(write(tmp_path, good, "g.csv"), framework=fw).wide.shape == (1, 34)
    missing = "province,year," + ",".join(cols[:-1]) + "\n广东,2020," + ",".join(["1"] * (len(cols) - 1)) + "\n"
    with pytest.raises(FrameworkError, match="DAT04"):
        read_indicators(write(tmp_path, missing, "m.csv"), framework=fw)
    extra = good.replace("DAT04", "DAT4X")
    with pytest.raises(FrameworkError, match="not in framework"):
        read_indicators(write(tmp_path, extra, "e.csv"), framework=fw)
    neg = good.replace(",1\n", ",1\n").replace("2020,1,", "2020,-5,", 1)
    with pytest.raises(DataValidationError, match="negative value for a count indicator"):
        read_indicators(write(tmp_path, neg, "n.csv"), framework=fw)


def test_input_file_is_not_modified(tmp_path):
    p = write(tmp_path, "省份,年份,A\n广东,2020,\"1,234\"\n")
    before = p.read_bytes()
    os.chmod(p, stat.S_IRUSR)  # read-only still works: opened read-only
    read_indicators(p)
    assert p.read_bytes() == before


def test_xlsx_input(tmp_path):
    df = pd.DataFrame({"province": ["广东", "浙江"], "year": [2020, 2020], "A": ["1,000", 2]})
    p = tmp_path / "x.xlsx"
    df.to_excel(p, index=False)
    assert read_indicators(p).wide.loc[("440000", 2020), "A"] == 1000.0


def test_parse_number_edge_cases():
    assert parse_number("１２３") == 123.0
    assert parse_number(" -1.5e2 ") == -150.0
    assert np.isnan(parse_number("—"))
    with pytest.raises(InputError):
        parse_number("1,23,4")
