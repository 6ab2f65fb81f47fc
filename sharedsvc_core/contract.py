"""The kinds of file (CONTRACT.md section 2) and how each value is read (section 1).

Each value parser takes what a cell holds (text from a CSV; text, a number or a date
from an .xlsx) and returns the normalised value, or raises ``ValueError`` with a
message that says what to write instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from .periods import PeriodError, fy_label, parse_fy, parse_quarter, parse_quarter_label

EXCEL_ERRORS = {"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!"}
PENNY = Decimal("0.01")
MAX_AMOUNT = Decimal("1e15")  # the store keeps DECIMAL(18, 2)
MAX_NUMBER = Decimal("1e9")  # DECIMAL(12, 2)
MAX_COUNT = 2_000_000_000  # INTEGER
_MONEY_BODY = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
_PLAIN_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
_PARTNERSHIP_CODE = re.compile(r"^[A-Za-z0-9-]+$")
_SERVICE_CODE = re.compile(r"^[A-Za-z0-9_.-]+$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00(?::00)?)?$")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_EXCEL_EPOCH = date(1899, 12, 30)


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def normalise_word(text: str) -> str:
    """How headers and listed values are matched: case and surrounding spaces are
    ignored, and spaces and hyphens count as underscores."""
    value = re.sub(r"[\s\-]+", "_", text.strip().lower())
    return re.sub(r"_+", "_", value)


def _refuse_excel_error(text: str) -> None:
    if text.upper() in EXCEL_ERRORS:
        raise ValueError(f"the cell shows the Excel error {text}: fix the formula, then save")


def _excel_number(value: float | int) -> Decimal:
    if isinstance(value, bool):
        raise ValueError("enter a plain number, not TRUE or FALSE")
    if isinstance(value, int):
        return Decimal(value)
    # Excel keeps 15 significant figures; trim binary noise such as 0.30000000000000004.
    return Decimal(repr(round(value, 9))).normalize()


def parse_money(value: Any) -> Decimal:
    """Pounds and pence: ``1234.5``, ``£1,234.50``, ``-£5``, ``(1,234)``, ``1,234``."""
    if isinstance(value, int | float):
        amount = _excel_number(value)
    else:
        text = str(value).strip()
        _refuse_excel_error(text)
        body = text
        negative = False
        if body.startswith("(") and body.endswith(")"):
            negative, body = True, body[1:-1].strip()
        if body[:1] in "+-" and body:
            negative, body = negative or body[0] == "-", body[1:].strip()
        if body.startswith("£"):
            body = body[1:].strip()
        if body[:1] == "-" and not negative:
            negative, body = True, body[1:].strip()
        if not _MONEY_BODY.match(body):
            raise ValueError(
                f"{text!r} is not an amount: enter a plain number in pounds, "
                "such as 1234.50 (not 1.2m, 12k, n/a, TBC or -)"
            )
        amount = Decimal(body.replace(",", ""))
        if negative:
            amount = -amount
    if amount != amount.quantize(PENNY, rounding=ROUND_HALF_UP):
        raise ValueError(f"{value!r} has more than 2 decimal places: round it to the penny")
    if abs(amount) >= MAX_AMOUNT:
        raise ValueError(f"{value!r} is too large: amounts must be under £1,000 trillion")
    return amount.quantize(PENNY)


def parse_money_non_negative(value: Any) -> Decimal:
    amount = parse_money(value)
    if amount < 0:
        raise ValueError(f"{value!r} is negative: this amount must be 0 or more")
    return amount


def parse_number_non_negative(value: Any) -> Decimal:
    """A plain number such as a count of full-time equivalent posts (2 decimals at most)."""
    if isinstance(value, int | float):
        number = _excel_number(value)
    else:
        text = str(value).strip()
        if not _PLAIN_NUMBER.match(text):
            raise ValueError(f"{text!r} is not a number: enter a plain number such as 12.5")
        number = Decimal(text.replace(",", ""))
    if number < 0:
        raise ValueError(f"{value!r} is negative: enter 0 or more")
    if number != number.quantize(PENNY, rounding=ROUND_HALF_UP):
        raise ValueError(f"{value!r} has more than 2 decimal places")
    if number >= MAX_NUMBER:
        raise ValueError(f"{value!r} is too large: enter a number under 1,000,000,000")
    return number.quantize(PENNY)


def parse_count(value: Any) -> int:
    """A whole number of responses, 0 or more."""
    if isinstance(value, bool):
        raise ValueError("enter a whole number, not TRUE or FALSE")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{value!r} is not a whole number")
        number = int(value)
    else:
        text = str(value).strip().replace(",", "")
        if not text.isdigit():
            if text.startswith("-") and text[1:].isdigit():
                raise ValueError(f"{value!r} is negative: a count is 0 or more")
            raise ValueError(f"{value!r} is not a whole number: enter a count such as 12")
        number = int(text)
    if number < 0:
        raise ValueError(f"{value!r} is negative: a count is 0 or more")
    if number > MAX_COUNT:
        raise ValueError(f"{value!r} is too large for a count of responses")
    return number


def parse_fraction(value: Any) -> Decimal:
    """A cost share: a fraction more than 0 and at most 1 (``0.25``; ``25%`` also works)."""
    if isinstance(value, int | float):
        share = _excel_number(value)
    else:
        text = str(value).strip()
        percent = text.endswith("%")
        body = text[:-1].strip() if percent else text
        try:
            if not re.match(r"^\d*\.?\d+$", body):
                raise InvalidOperation
            share = Decimal(body)
        except InvalidOperation:
            raise ValueError(
                f"{text!r} is not a cost share: enter a fraction such as 0.25"
            ) from None
        if percent:
            share = share / 100
    if not Decimal(0) < share <= Decimal(1):
        raise ValueError(f"{value!r} must be more than 0 and at most 1 (a fraction such as 0.25)")
    if share != share.quantize(Decimal("0.000000001"), rounding=ROUND_HALF_UP):
        raise ValueError(f"{value!r} has more than 9 decimal places")
    return share


def parse_fy_value(value: Any) -> str:
    try:
        return fy_label(parse_fy(str(value)))
    except PeriodError as error:
        raise ValueError(f"{str(value).strip()!r}: {error}") from None


def parse_quarter_value(value: Any) -> int:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return parse_quarter(str(value))
    except PeriodError as error:
        raise ValueError(f"{str(value).strip()!r}: {error}") from None


def parse_date(value: Any) -> date:
    """ISO ``2015-04-01`` or UK ``01/04/2015`` (day first); in an .xlsx also a date cell
    or an Excel serial date number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:
            raise ValueError(f"{value!r} is not an Excel date")
        return _EXCEL_EPOCH + timedelta(days=int(value))
    text = str(value).strip()
    try:
        iso = _ISO_DATE.match(text)
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        uk = _UK_DATE.match(text)
        if uk:
            return date(int(uk.group(3)), int(uk.group(2)), int(uk.group(1)))
    except ValueError:
        raise ValueError(
            f"{text!r} is not a real date: dates are day first, such as 31/03/2015"
        ) from None
    raise ValueError(f"{text!r}: write dates as 2015-03-31 or 31/03/2015 (day first)")


def parse_partnership_code(value: Any) -> str:
    text = str(value).strip()
    if not _PARTNERSHIP_CODE.match(text):
        raise ValueError(f"{text!r}: a partnership code uses only letters, digits and -")
    return text


def parse_service_code(value: Any) -> str:
    text = str(value).strip()
    if not _SERVICE_CODE.match(text):
        raise ValueError(f"{text!r}: a service code uses only letters, digits, -, _ and .")
    return text


MEASURE_PLACES = Decimal("0.0001")


def parse_measure(value: Any) -> Decimal:
    """A measured value: a plain number, negative allowed, up to 4 decimal places
    (``12``, ``-3.5``, ``87.25``, ``1,250``). A ``%`` sign is allowed and dropped, since the
    unit column says what the number counts."""
    if isinstance(value, int | float):
        number = _excel_number(value)
    else:
        text = str(value).strip()
        _refuse_excel_error(text)
        body = text[:-1].strip() if text.endswith("%") else text
        negative = body.startswith("-")
        if body[:1] in "+-":
            body = body[1:].strip()
        if not _PLAIN_NUMBER.match(body):
            raise ValueError(
                f"{text!r} is not a number: enter a plain number such as 12.5 (not n/a or TBC)"
            )
        number = Decimal(body.replace(",", ""))
        if negative:
            number = -number
    if number != number.quantize(MEASURE_PLACES, rounding=ROUND_HALF_UP):
        raise ValueError(f"{value!r} has more than 4 decimal places")
    if abs(number) >= MAX_AMOUNT:
        raise ValueError(f"{value!r} is too large")
    return number.quantize(MEASURE_PLACES)


def parse_period(value: Any) -> str:
    """A quarter written like ``2015/16Q2`` (also ``2015/16 Q2``), stored as ``2015/16Q2``."""
    try:
        return parse_quarter_label(str(value)).label
    except PeriodError as error:
        raise ValueError(f"{error}; Q1 is April to June") from None


def parse_codes(value: Any) -> str:
    """Benefit codes separated by ``;`` (``HR-B1; HR-B2``), stored as ``HR-B1;HR-B2``."""
    codes = [part.strip() for part in str(value).split(";") if part.strip()]
    for code in codes:
        if not _SERVICE_CODE.match(code):
            raise ValueError(
                f"{code!r}: a benefit code uses only letters, digits, -, _ and .; "
                "separate codes with ;"
            )
    if len(set(codes)) != len(codes):
        raise ValueError("a benefit code is given twice: name each once")
    return ";".join(codes)


SCORE_MAX = Decimal(10)


def parse_score(value: Any) -> Decimal:
    """An appraisal score from 0 to 10, up to 2 decimal places (a panel's average such as
    6.67 is allowed)."""
    if isinstance(value, bool):
        raise ValueError("enter a score from 0 to 10, not TRUE or FALSE")
    number = parse_number_non_negative(value)
    if number > SCORE_MAX:
        raise ValueError(f"{value!r} is above 10: score each option from 0 to 10")
    return number


def _typed_example(cast: Callable[[str], object]) -> Callable[[str], object]:
    return lambda text: cast(text) if text else None


@dataclass(frozen=True)
class ColumnType:
    """One kind of column, whole: what its values may be in words (for the templates and
    the guide), how a value is read, the SQL type it is staged as, the text that is
    already exact for that type, and how the .xlsx template shows its example."""

    words: str
    parse: Callable[[Any], Any] | None = None  # None: read with the column (ingest)
    sql: str = "VARCHAR"
    # text staged as written, with no parsing: ASCII digits only, since DuckDB casts no
    # other script's digits (the parser reads those)
    plain: re.Pattern[str] | None = None
    excel_format: str | None = None
    example: Callable[[str], object] = lambda text: text or None


_PLAIN_AMOUNT = r"\d{1,15}(?:\.\d{1,2})?\Z"
_KEEP_AS_TEXT = "@"
TYPES: dict[str, ColumnType] = {
    "text": ColumnType("Text"),
    "choice": ColumnType("One of the choices listed"),
    "money": ColumnType(
        "An amount in pounds, such as 1234.50 (negative as -5 or (5))",
        parse_money,
        "DECIMAL(18, 2)",
        re.compile("-?" + _PLAIN_AMOUNT, re.ASCII),
        "#,##0.00",
        _typed_example(float),
    ),
    "money_nn": ColumnType(
        "An amount in pounds, 0 or more, such as 1234.50",
        parse_money_non_negative,
        "DECIMAL(18, 2)",
        re.compile(_PLAIN_AMOUNT, re.ASCII),
        "#,##0.00",
        _typed_example(float),
    ),
    "number_nn": ColumnType(
        "A number, 0 or more, up to 2 decimal places",
        parse_number_non_negative,
        "DECIMAL(12, 2)",
        re.compile(r"\d{1,8}(?:\.\d{1,2})?\Z", re.ASCII),
        example=_typed_example(float),
    ),
    "count": ColumnType(
        "A whole number, 0 or more", parse_count, "INTEGER", example=_typed_example(int)
    ),
    "fraction": ColumnType(
        "A fraction more than 0 and at most 1, such as 0.25",
        parse_fraction,
        "DECIMAL(12, 9)",
        example=_typed_example(float),
    ),
    "fy": ColumnType(
        "A financial year, such as 2015/16 (April to March)",
        parse_fy_value,
        excel_format=_KEEP_AS_TEXT,
    ),
    "quarter": ColumnType(
        "Q1 (Apr-Jun), Q2 (Jul-Sep), Q3 (Oct-Dec) or Q4 (Jan-Mar)",
        parse_quarter_value,
        "TINYINT",
        excel_format=_KEEP_AS_TEXT,
    ),
    "date": ColumnType("A date, such as 2015-04-01 or 01/04/2015 (day first)", parse_date, "DATE"),
    "measure": ColumnType(
        "A number, such as 12.5 (negative allowed, up to 4 decimal places)",
        parse_measure,
        "DECIMAL(18, 4)",
        example=_typed_example(float),
    ),
    "period": ColumnType(
        "A quarter, such as 2015/16Q2 (Q1 is April to June)",
        parse_period,
        excel_format=_KEEP_AS_TEXT,
    ),
    "codes": ColumnType(
        "Benefit codes separated by ;, such as HR-B1;HR-B2", parse_codes, excel_format=_KEEP_AS_TEXT
    ),
    "score": ColumnType(
        "A score from 0 to 10, up to 2 decimal places, such as 7 or 7.5",
        parse_score,
        "DECIMAL(5, 2)",
        re.compile(r"(?:10(?:\.0{1,2})?|\d(?:\.\d{1,2})?)\Z", re.ASCII),
        example=_typed_example(float),
    ),
    "council": ColumnType(
        "The council's GSS code (such as E07000239) or its name", excel_format=_KEEP_AS_TEXT
    ),
    "partnership_code": ColumnType(
        "Letters, digits and -", parse_partnership_code, excel_format=_KEEP_AS_TEXT
    ),
    "service_code": ColumnType(
        "Letters, digits, -, _ and .", parse_service_code, excel_format=_KEEP_AS_TEXT
    ),
}


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    kind: str  # a key of TYPES
    choices: tuple[str, ...] = ()
    default: Any = None
    max_length: int | None = None
    example: str = ""
    help: str = ""


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    summary: str = ""
    by_name: dict[str, Column] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        self.by_name.update({c.name: c for c in self.columns})
        unknown = [c.name for c in self.columns if c.kind not in TYPES]
        if unknown:
            raise ValueError(f"columns of no known type in {self.name}: {unknown}")

    @property
    def money_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.kind in ("money", "money_nn")]

    @property
    def required_columns(self) -> list[str]:
        return [c.name for c in self.columns if c.required]

    def header(self, omit: Sequence[str] = ()) -> list[str]:
        """The file's columns in the contract's order, leaving out the optional ones
        named (a file may leave them out too)."""
        unknown = [name for name in omit if name not in self.by_name]
        required = [name for name in omit if name in self.by_name and self.by_name[name].required]
        if unknown or required:
            raise KeyError(f"cannot leave out {unknown + required} of a {self.name} file")
        return [c.name for c in self.columns if c.name not in omit]


DELIVERY_MODELS = (
    "lead_authority",
    "joint_committee",
    "shared_management",
    "hub_and_spoke",
    "company",
    "spv",
    "outsourced",
    "formal_collaboration",
    "informal_collaboration",
    "cluster",
)
STAGES = ("soc", "obc", "fbc", "implementation", "live", "closed")
GROUPS = (
    "staff",
    "managers",
    "chief_officers",
    "trade_unions",
    "elected_members",
    "partners",
    "other",
)
THEMES = ("progress", "concern", "barrier", "need")
BENEFIT_CLASSES = ("cash_releasing", "non_cash", "quality", "dis_benefit")
DIRECTIONS = ("increase", "decrease")
# a cash-releasing benefit with this measure takes its values from its service's
# evidenced savings (the returns) instead of from a measures file
EVIDENCED_SAVINGS = "evidenced_savings"
COUNTS = ("strongly_disagree", "disagree", "neutral", "agree", "strongly_agree")
# an appraised option is a delivery model, or one of the Green Book's two baselines
BASELINE_OPTIONS = ("do_nothing", "do_minimum")
OPTION_MODELS = (*DELIVERY_MODELS, *BASELINE_OPTIONS)
YES_NO = ("yes", "no")

_C = Column
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind(
            "partnerships",
            "partnership_rows",
            (
                _C(
                    "partnership_code",
                    True,
                    "partnership_code",
                    example="LSSP",
                    help="A short code of your choosing: letters, digits and -",
                ),
                _C(
                    "name",
                    True,
                    "text",
                    max_length=200,
                    example="Lincolnshire Shared Services Partnership",
                ),
                _C("delivery_model", True, "choice", DELIVERY_MODELS, example="hub_and_spoke"),
                _C(
                    "lead_council",
                    False,
                    "council",
                    example="E10000019",
                    help="GSS code or name of the lead council",
                ),
                _C("start_date", False, "date", example="2014-04-01"),
                _C(
                    "status",
                    False,
                    "choice",
                    ("proposed", "active", "dissolved"),
                    default="active",
                    example="active",
                ),
                _C(
                    "description",
                    False,
                    "text",
                    max_length=2000,
                    example="County and districts sharing back-office services",
                ),
            ),
            ("partnership_code",),
            summary="The register of partnerships.",
        ),
        Kind(
            "members",
            "member_rows",
            (
                _C("partnership_code", True, "partnership_code", example="LSSP"),
                _C("council", True, "council", example="E07000136"),
                _C(
                    "cost_share",
                    True,
                    "fraction",
                    example="0.125",
                    help="Fraction of common costs, more than 0 and at most 1; "
                    "each year's shares add up to 1",
                ),
                _C("from_year", True, "fy", example="2014/15"),
                _C(
                    "to_year",
                    False,
                    "fy",
                    example="",
                    help="Blank while the council is still a member",
                ),
            ),
            ("partnership_code", "council", "from_year"),
            summary="Which councils belong to each partnership, and their cost shares.",
        ),
        Kind(
            "services",
            "service_rows",
            (
                _C("service_code", True, "service_code", example="LSSP-TRN"),
                _C("partnership_code", True, "partnership_code", example="LSSP"),
                _C(
                    "name",
                    True,
                    "text",
                    max_length=200,
                    example="Training and workforce development",
                ),
                _C("service_area", True, "text", max_length=200, example="Human resources"),
                _C("stage", True, "choice", STAGES, example="obc"),
                _C("lead_council", False, "council", example="E10000019"),
                _C("go_live", False, "date", example="2015-04-01"),
            ),
            ("service_code",),
            summary="The shared services and each one's business-case stage.",
        ),
        Kind(
            "baselines",
            "baseline_rows",
            (
                _C("service_code", True, "service_code", example="LSSP-TRN"),
                _C("council", True, "council", example="E07000136"),
                _C("baseline_year", True, "fy", example="2013/14"),
                _C(
                    "annual_cost",
                    True,
                    "money_nn",
                    example="412000.00",
                    help="The service's cost to this council for a year before sharing, in £",
                ),
                _C("fte", False, "number_nn", example="9.5"),
                _C(
                    "source",
                    False,
                    "text",
                    max_length=500,
                    example="Outline business case, appendix B",
                ),
                _C(
                    "reason",
                    False,
                    "text",
                    max_length=500,
                    example="",
                    help="Why the baseline changes: blank on the first load, required when it "
                    "differs from the one already loaded",
                ),
            ),
            ("service_code", "council"),
            summary="The agreed annual cost of each service to each council before sharing.",
        ),
        Kind(
            "targets",
            "target_rows",
            (
                _C("service_code", True, "service_code", example="LSSP-TRN"),
                _C("council", True, "council", example="E07000136"),
                _C("financial_year", True, "fy", example="2015/16"),
                _C(
                    "target_saving",
                    True,
                    "money",
                    example="40000.00",
                    help="The saving planned for the whole year, in £",
                ),
                _C("one_off_budget", False, "money", example="15000.00"),
                _C(
                    "reason",
                    False,
                    "text",
                    max_length=500,
                    example="",
                    help="Why the target changes: blank on the first load, required when it "
                    "differs from the one already loaded",
                ),
            ),
            ("service_code", "council", "financial_year"),
            summary="The annual savings target for each service, council and year.",
        ),
        Kind(
            "returns",
            "return_rows",
            (
                _C("council", True, "council", example="E07000136"),
                _C("service_code", True, "service_code", example="LSSP-TRN"),
                _C("financial_year", True, "fy", example="2015/16"),
                _C(
                    "quarter",
                    True,
                    "quarter",
                    example="Q2",
                    help="Q1 April-June, Q2 July-September, Q3 October-December, Q4 January-March",
                ),
                _C(
                    "actual_cost",
                    True,
                    "money_nn",
                    example="93500.00",
                    help="What the service cost this council in the quarter, in £",
                ),
                _C("claimed_saving", False, "money", example="9000.00"),
                _C("one_off_cost", False, "money_nn", default=Decimal("0.00"), example="2500.00"),
                _C("fte", False, "number_nn", example="8.5"),
                _C("forecast_year_saving", False, "money", example="38000.00"),
                _C("confidence", False, "choice", ("high", "medium", "low"), example="medium"),
                _C(
                    "cost_basis",
                    False,
                    "choice",
                    ("own", "whole_service"),
                    default="own",
                    example="own",
                    help="own: this council's cost; whole_service: the lead council's cost "
                    "for the whole shared service, shared out by cost share",
                ),
                _C(
                    "commentary",
                    False,
                    "text",
                    max_length=2000,
                    example="Two vacancies held open while the team restructures",
                ),
            ),
            ("council", "service_code", "financial_year", "quarter"),
            summary="Each council's quarterly return of actual costs and savings.",
        ),
        Kind(
            "survey",
            "survey_rows",
            (
                _C("wave", True, "fy", example="2014/15"),
                _C("group", True, "choice", GROUPS, example="staff"),
                _C(
                    "statement",
                    True,
                    "text",
                    max_length=500,
                    example="I understand why this service is shared",
                ),
                _C(
                    "service_code",
                    False,
                    "service_code",
                    example="",
                    help="Blank for a programme-wide statement",
                ),
                *(
                    _C(name, True, "count", example=str(n))
                    for name, n in zip(COUNTS, (3, 7, 10, 22, 8), strict=True)
                ),
            ),
            ("wave", "group", "statement", "service_code"),
            summary="Taking Stock survey answers, counted by stakeholder group.",
        ),
        Kind(
            "comments",
            "comment_rows",
            (
                _C("wave", True, "fy", example="2014/15"),
                _C("group", True, "choice", GROUPS, example="trade_unions"),
                _C("theme", True, "choice", THEMES, example="barrier"),
                _C(
                    "comment",
                    True,
                    "text",
                    max_length=2000,
                    example="Different terms and conditions slow down joint teams",
                ),
                _C("service_code", False, "service_code", example=""),
            ),
            (),
            summary="Taking Stock comments by theme. Each load adds to those already kept.",
        ),
        Kind(
            "benefits",
            "benefit_rows",
            (
                _C("benefit_code", True, "service_code", example="LSSP-TRN-B1"),
                _C("service_code", True, "service_code", example="LSSP-TRN"),
                _C(
                    "name",
                    True,
                    "text",
                    max_length=200,
                    example="Fewer days lost to sickness",
                ),
                _C("class", True, "choice", BENEFIT_CLASSES, example="non_cash"),
                _C(
                    "measure",
                    True,
                    "text",
                    max_length=200,
                    example="Average working days lost per employee",
                    help="What is measured. For a cash-releasing benefit, evidenced_savings "
                    "takes the service's evidenced savings to date from the returns",
                ),
                _C("unit", True, "text", max_length=50, example="days"),
                _C(
                    "direction",
                    True,
                    "choice",
                    DIRECTIONS,
                    example="decrease",
                    help="increase: the benefit is a rise in the measure; decrease: a fall",
                ),
                _C("baseline_value", True, "measure", example="9.8"),
                _C("baseline_date", True, "date", example="2014-03-31"),
                _C("target_value", True, "measure", example="7.5"),
                _C("target_date", True, "date", example="2017-03-31"),
                _C("senior_owner", False, "text", max_length=200, example="Director of Resources"),
                _C(
                    "operational_owner",
                    False,
                    "text",
                    max_length=200,
                    example="Head of HR Operations",
                ),
                _C(
                    "tolerance_pct",
                    False,
                    "number_nn",
                    default=Decimal("10.00"),
                    example="10",
                    help="How many percentage points behind the straight line still counts "
                    "as on track (default 10)",
                ),
                _C(
                    "depends_on",
                    False,
                    "codes",
                    example="",
                    help="Codes of the benefits this one depends on, separated by ;",
                ),
                _C("description", False, "text", max_length=2000, example=""),
                _C(
                    "reason",
                    False,
                    "text",
                    max_length=500,
                    example="",
                    help="Why the baseline or target changes: blank on the first load, "
                    "required when it differs from the one already loaded",
                ),
            ),
            ("benefit_code",),
            summary="The benefits register: each benefit, its measure, baseline, target "
            "and owners.",
        ),
        Kind(
            "measures",
            "measure_rows",
            (
                _C("benefit_code", True, "service_code", example="LSSP-TRN-B1"),
                _C(
                    "council",
                    False,
                    "council",
                    example="",
                    help="Blank for the whole service; a council's rows add up to the whole",
                ),
                _C("period", True, "period", example="2015/16Q2"),
                _C("value", True, "measure", example="8.9"),
                _C("evidence", False, "text", max_length=500, example="HR system sickness report"),
                _C("commentary", False, "text", max_length=2000, example=""),
            ),
            ("benefit_code", "council", "period"),
            summary="Each benefit's measured value, quarter by quarter.",
        ),
        Kind(
            "options",
            "option_rows",
            (
                _C("service_code", True, "service_code", example="LSSP-TRN"),
                _C("option_code", True, "service_code", example="OPT2"),
                _C("name", True, "text", max_length=200, example="Centralised service"),
                _C(
                    "model",
                    True,
                    "choice",
                    OPTION_MODELS,
                    example="hub_and_spoke",
                    help="The delivery model, or do_nothing (business as usual) or do_minimum",
                ),
                _C(
                    "shortlisted",
                    False,
                    "choice",
                    YES_NO,
                    default="no",
                    example="yes",
                    help="yes when the option is on the short list (blank means no)",
                ),
                _C(
                    "chosen",
                    False,
                    "choice",
                    YES_NO,
                    default="no",
                    example="no",
                    help="yes for the preferred option (at most one a service; blank means no)",
                ),
                _C("strengths", False, "text", max_length=2000, example="One team to manage"),
                _C("weaknesses", False, "text", max_length=2000, example="Staff must move"),
                _C(
                    "opportunities",
                    False,
                    "text",
                    max_length=2000,
                    example="Sell training to other councils",
                ),
                _C("threats", False, "text", max_length=2000, example="Loss of local knowledge"),
            ),
            ("service_code", "option_code"),
            summary="The options appraised for each service, with their SWOT and the short list.",
        ),
        Kind(
            "criteria",
            "criterion_rows",
            (
                _C("service_code", True, "service_code", example="LSSP-TRN"),
                _C("criterion", True, "text", max_length=200, example="Value for money"),
                _C(
                    "weight",
                    True,
                    "number_nn",
                    example="30",
                    help="How much the criterion counts, 0 or more (weights need not add up "
                    "to 100)",
                ),
                _C("description", False, "text", max_length=2000, example=""),
            ),
            ("service_code", "criterion"),
            summary="The weighted criteria (the objectives) each service's options are "
            "scored against.",
        ),
        Kind(
            "scores",
            "score_rows",
            (
                _C("service_code", True, "service_code", example="LSSP-TRN"),
                _C("option_code", True, "service_code", example="OPT2"),
                _C("criterion", True, "text", max_length=200, example="Value for money"),
                _C(
                    "score",
                    True,
                    "score",
                    example="7",
                    help="From 0 (does not meet the criterion) to 10 (meets it fully)",
                ),
                _C("commentary", False, "text", max_length=2000, example=""),
            ),
            ("service_code", "option_code", "criterion"),
            summary="Each option's score against each criterion, from 0 to 10.",
        ),
        Kind(
            "funding",
            "funding_rows",
            (
                _C("partnership_code", True, "partnership_code", example="NNL-HUB"),
                _C(
                    "source",
                    True,
                    "text",
                    max_length=200,
                    example="Transformation Challenge Award grant",
                    help="Where the money came from: a grant, capital receipts flexibility, "
                    "or a partner's contribution",
                ),
                _C("amount", True, "money_nn", example="3000000.00"),
                _C("received_date", True, "date", example="2015-04-01"),
                _C(
                    "conditions",
                    False,
                    "text",
                    max_length=2000,
                    example="Repayable pro rata if a partner leaves before March 2018",
                ),
            ),
            ("partnership_code", "source", "received_date"),
            summary="Shared funding received by a partnership, against which one-off costs "
            "are charged.",
        ),
    )
}

ALIASES_OF_KIND = {
    "return": "returns",
    "partnership": "partnerships",
    "member": "members",
    "service": "services",
    "baseline": "baselines",
    "target": "targets",
    "comment": "comments",
    "surveys": "survey",
    "benefit": "benefits",
    "measure": "measures",
    "option": "options",
    "criterion": "criteria",
    "score": "scores",
}


def kind_named(name: str) -> Kind:
    key = normalise_word(name)
    key = ALIASES_OF_KIND.get(key, key)
    if key not in KINDS:
        raise KeyError(f"unknown kind {name!r}: use one of {', '.join(KINDS)}")
    return KINDS[key]
