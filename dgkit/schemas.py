"""pandera schemas for every bundled table and for users' indicator data.

:func:`validate` runs a schema lazily and turns pandera's failure cases into one
:class:`~dgkit.errors.DataValidationError` that names the file, the spreadsheet row (header = 1),
the column, the check that failed and the offending value.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaError, SchemaErrors

from dgkit.errors import DataValidationError

_str = pa.Column(str, nullable=False)
_src = pa.Column(str, pa.Check.str_length(min_value=1), nullable=False)  # every row has a source
_code6 = pa.Check.str_matches(r"^\d{6}$")

PROVINCES = pa.DataFrameSchema(
    {
        "unit_id": pa.Column(str, pa.Check.str_matches(r"^(\d{6}|XJBT)$"), unique=True),
        "adcode": pa.Column(str, pa.Check.str_matches(r"^(\d{6})?$")),
        "name_full": pa.Column(str, unique=True),
        "name_short": pa.Column(str, unique=True),
        "name_en": pa.Column(str, unique=True),
        "pinyin": _str,
        "kind": pa.Column(str, pa.Check.isin(["province", "corps"])),
        "ccid_region": pa.Column(str, pa.Check.isin(["华北", "东北", "华东", "中南", "西南", "西北", ""])),
        "ccid_belt": pa.Column(str, pa.Check.isin(["东部", "中部", "西部", "东北", ""])),
        "ccid_hotspots": pa.Column(str, nullable=True),
    },
    strict=False,
    name="provinces",
)

CITIES = pa.DataFrameSchema(
    {
        "city": pa.Column(str, unique=True),
        "province_adcode": pa.Column(str, _code6),
        "adcode": pa.Column(str, _code6, unique=True),
        **{c: pa.Column(int, pa.Check.isin([0, 1])) for c in (
            "official_fusheng", "official_plan_listed", "official_capital", "tsinghua_fusheng",
            "tsinghua_capital", "tsinghua_other", "in_tsinghua_2020", "in_cstc_2019")},
        "source": _src,
    },
    strict=False,
    name="cities",
)

GDP = pa.DataFrameSchema(
    {
        "adcode": pa.Column(str, _code6),
        "year": pa.Column(int, pa.Check.in_range(2000, 2030)),
        "gdp_100m_yuan": pa.Column(float, pa.Check.gt(0)),
        "source": _src,
    },
    unique=["adcode", "year"],
    strict=False,
    name="gdp",
)

POPULATION = pa.DataFrameSchema(
    {
        "adcode": pa.Column(str, _code6),
        "year": pa.Column(int, pa.Check.in_range(2000, 2030)),
        "yearend_resident_pop_10k": pa.Column(float, pa.Check.gt(0), coerce=True),
        "source": _src,
    },
    unique=["adcode", "year"],
    strict=False,
    name="population",
)

_unit_interval = pa.Check.in_range(0, 1)
EGDI = pa.DataFrameSchema(
    {
        "survey_year": pa.Column(int, pa.Check.isin([2018, 2020, 2022, 2024])),
        "country": _str,
        "egdi_rank": pa.Column(int, pa.Check.ge(1)),
        "egdi": pa.Column(float, _unit_interval),
        "osi": pa.Column(float, _unit_interval),
        "hci": pa.Column(float, _unit_interval),
        "tii": pa.Column(float, _unit_interval),
        "source": _src,
    },
    unique=["survey_year", "country"],
    strict=False,
    name="egdi",
)

TSINGHUA_PROVINCES = pa.DataFrameSchema(
    {
        "province": _str,
        "score": pa.Column(float, pa.Check.in_range(0, 100)),
        "rank_printed": pa.Column(int, pa.Check.in_range(1, 31)),
        "tier_kit": pa.Column(str, pa.Check.isin(["引领型", "优质型", "特色型", "发展型", "追赶型"])),
        "source": _src,
    },
    unique=["province"],
    strict=False,
    name="tsinghua_2020_provinces",
)

TSINGHUA_OTHER_CITIES = pa.DataFrameSchema(
    {
        "city": pa.Column(str, unique=True),
        **{c: pa.Column(float, pa.Check.ge(0)) for c in ("organisation", "institutions", "capability", "effect")},
        "total": pa.Column(float, pa.Check.in_range(0, 100)),
        "group_rank_printed": pa.Column(int, pa.Check.in_range(1, 68), unique=True),
        "source": _src,
    },
    strict=False,
    name="tsinghua_2020_other_cities",
)

GRADES = pa.DataFrameSchema(
    {
        "unit": pa.Column(str, unique=True),
        "grade": pa.Column(str, pa.Check.isin(["卓越", "优秀", "良好", "发展", "起步"])),
        "source": _src,
    },
    strict=False,
    name="cstc_2019_grades",
)

PUBLISHED_ANY = pa.DataFrameSchema({"source": _src}, strict=False, name="published")

INDICATORS_LONG = pa.DataFrameSchema(
    {
        "unit_id": _str,
        "year": pa.Column("Int64", pa.Check.in_range(1990, 2100), nullable=True),
        "indicator": _str,
        "value": pa.Column(float, nullable=True),
    },
    unique=["unit_id", "year", "indicator"],
    strict=False,
    name="indicators_long",
)

GDP_VINTAGES = pa.DataFrameSchema(
    {
        "adcode": pa.Column(str, _code6, unique=True),
        "gdp2019_first_release": pa.Column(float, pa.Check.gt(0)),
        "gdp2019_nbs_db_revised": pa.Column(float, pa.Check.gt(0)),
        "source": _src,
    },
    strict=False,
    name="gdp_vintages",
)

UN_REGIONS = pa.DataFrameSchema(
    {
        "country": pa.Column(str, unique=True),
        "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), unique=True),
        "region": pa.Column(str, pa.Check.isin(["Africa", "Americas", "Asia", "Europe", "Oceania"])),
        "sub_region": _str,
        "source": _src,
    },
    strict=False,
    name="un_regions",
)

PREFECTURES = pa.DataFrameSchema(
    {
        "unit_id": pa.Column(str, _code6, unique=True),
        "name_full": _str,
        "name_short": _str,
        "name_en": _str,
        "province_id": pa.Column(str, _code6),
        "city_type": pa.Column(str, pa.Check.isin(["直辖市", "副省级", "省会", "地级市", "地区", "自治州", "盟"])),
        "fusheng": pa.Column(int, pa.Check.isin([0, 1])),
        "capital": pa.Column(int, pa.Check.isin([0, 1])),
        "source": _src,
    },
    strict=False,
    name="prefectures",
)

COUNTRIES = pa.DataFrameSchema(
    {
        "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$"), unique=True),
        "iso2": pa.Column(str, pa.Check.str_matches(r"^([A-Z]{2})?$")),
        "name_en": pa.Column(str, unique=True),
        "un_region": pa.Column(str, pa.Check.isin(["Africa", "Americas", "Asia", "Europe", "Oceania", ""])),
        "wb_income_group": pa.Column(str, pa.Check.isin(["High income", "Upper middle income", "Lower middle income", "Low income", ""])),
        "source": _src,
    },
    strict=False,
    name="countries",
)

COUNTRY_ALIASES = pa.DataFrameSchema(
    {"iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")), "alias": pa.Column(str, unique=True), "source": _src},
    strict=False,
    name="country_aliases",
)

EGDI_ALL = pa.DataFrameSchema(
    {
        "survey_year": pa.Column(int, pa.Check.isin([2003, 2004, 2005, 2008, 2010, 2012, 2014, 2016, 2018, 2020, 2022, 2024])),
        "country": _str,
        "iso3": pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "egdi": pa.Column(float, _unit_interval),
        "osi": pa.Column(float, _unit_interval),
        "hci": pa.Column(float, pa.Check.ge(0)),  # 2003 prints HCI 1.422 (FSM) and 1.03 (TUV): kept as printed
        "tii": pa.Column(float, _unit_interval),
        "source": _src,
    },
    unique=["survey_year", "iso3"],
    strict=False,
    name="egdi_2003_2024",
)

PROVINCE_CONTIGUITY = pa.DataFrameSchema(
    {
        "unit_id": pa.Column(str, _code6),
        "name": _str,
        "neighbour_id": pa.Column(str, _code6),
        "neighbour_name": _str,
        "kind": pa.Column(str, pa.Check.isin(["land", "rule"])),
        "shared_border_km": pa.Column(float, pa.Check.gt(0), nullable=True),  # empty on the 海南–广东 rule rows
        "note": pa.Column(str, nullable=True),
        "source": _src,
    },
    unique=["unit_id", "neighbour_id"],
    strict=False,
    name="province_contiguity",
)

NBS_DIGITAL = pa.DataFrameSchema(
    {
        "province": _str,
        "province_code": pa.Column(str, _code6),
        "year": pa.Column(int, pa.Check.in_range(2013, 2023)),
        "indicator": _str,
        "unit": _str,
        "value": pa.Column(float, pa.Check.ge(0), nullable=True),  # real gaps are left empty
        "stated_source": _str,
        "source": _src,
    },
    unique=["province_code", "year", "indicator"],
    strict=False,
    name="nbs_digital",
)

_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"
CLAIMS = pa.DataFrameSchema(
    {
        "claim_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+\.[a-z0-9_]+$"), unique=True),
        "dataset": _str,
        "statement": _str,
        "printed": _str,
        "kind": pa.Column(str, pa.Check.isin(["number", "text", "set"])),
        "check": pa.Column(str, pa.Check.str_matches(r"^[a-z_][a-z0-9_]*$")),
        "args": pa.Column(str, pa.Check(lambda s: s.map(_is_json_object), element_wise=False, error="args must be a JSON object")),
        "status": pa.Column(str, pa.Check.isin(["match", "inconsistent"])),
        "explanation": pa.Column(str, nullable=True),
        "source": _src,
        # the same in the other language (one language per edition): no CJK character in the English ones
        "statement_en": pa.Column(str, pa.Check(lambda s: ~s.str.contains(_CJK), error="statement_en has no CJK character")),
        "explanation_zh": pa.Column(str, nullable=True),
        "locator": pa.Column(str, pa.Check.str_length(min_value=1)),
        "locator_en": pa.Column(str, pa.Check(lambda s: (s.str.len() > 0) & ~s.str.contains(_CJK), error="locator_en is English")),
    },
    checks=[pa.Check(lambda d: (d["status"] == "match") | (d["explanation"].fillna("").str.len() > 0),
                     error="an inconsistent claim needs an explanation"),
            pa.Check(lambda d: (d["explanation"].fillna("") == "") == (d["explanation_zh"].fillna("") == ""),
                     error="explanation and explanation_zh go together")],
    strict=True,
    name="claims",
)


def _is_json_object(text: str) -> bool:
    import json

    try:
        return isinstance(json.loads(text or "{}"), dict)
    except ValueError:
        return False


SCHEMAS: dict[str, pa.DataFrameSchema] = {
    **{f"claims_{k}": CLAIMS for k in ("ccid_2020", "tsinghua_2020", "cstc_2019", "guomai_2023", "caict_2021", "cpsc_2019")},
    "province_contiguity": PROVINCE_CONTIGUITY,
    "nbs_digital": NBS_DIGITAL,
    "prefectures": PREFECTURES,
    "countries": COUNTRIES,
    "country_aliases": COUNTRY_ALIASES,
    "egdi_2003_2024": EGDI_ALL,
    "un_regions": UN_REGIONS,
    "gdp_vintages": GDP_VINTAGES,
    "provinces": PROVINCES,
    "cities": CITIES,
    "gdp": GDP,
    "population": POPULATION,
    "egdi": EGDI,
    "tsinghua_2020_provinces": TSINGHUA_PROVINCES,
    "tsinghua_2020_other_cities": TSINGHUA_OTHER_CITIES,
    "cstc_2019_grades_provinces": GRADES,
    "cstc_2019_grades_cities": GRADES,
}


def schema_for(name: str) -> pa.DataFrameSchema:
    """The schema of a catalogued table (published tables at least need a source on every row)."""
    from dgkit.data import CATALOGUE

    if name in SCHEMAS:
        return SCHEMAS[name]
    if CATALOGUE.get(name, ("", ""))[1] == "published":
        return PUBLISHED_ANY
    raise KeyError(name)


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, file: str | Path | None = None,
             max_report: int = 5) -> pd.DataFrame:
    """Validate ``df``; on failure raise DataValidationError naming file, row and column."""
    try:
        return schema.validate(df, lazy=True)
    except (SchemaErrors, SchemaError) as exc:
        fc = getattr(exc, "failure_cases", None)
        if fc is None or len(fc) == 0:
            raise DataValidationError(str(exc).splitlines()[0], file=file) from None
        fc = fc.copy()
        lines = []
        first = fc.iloc[0]
        for r in fc.head(max_report).itertuples():
            row = None if pd.isna(r.index) else int(r.index) + 2
            col = r.column if isinstance(r.column, str) else None
            check = str(r.check)
            if check == "column_in_dataframe":
                lines.append(f"missing required column '{r.failure_case}'")
                continue
            where = ", ".join(x for x in (f"row {row}" if row else "", f"column '{col}'" if col else "") if x)
            lines.append(f"{where}: fails {check}, value {r.failure_case!r}")
        more = f" (+{len(fc) - max_report} more)" if len(fc) > max_report else ""
        first_row = None if pd.isna(first["index"]) else int(first["index"]) + 2
        first_col = first["column"] if isinstance(first["column"], str) else None
        raise DataValidationError(
            f"{len(fc)} check failure(s) in table '{schema.name}': " + "; ".join(lines) + more,
            file=file, row=first_row, column=first_col,
        ) from None


def validate_bundled(name: str) -> pd.DataFrame:
    """Validate a bundled table against its schema (used by the tests)."""
    from dgkit import data

    return validate(data.load(name), schema_for(name), file=str(data.path(name)))
