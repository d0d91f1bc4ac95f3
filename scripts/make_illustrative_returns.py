"""Write the ILLUSTRATIVE provider quarterly returns bundled with the dashboard.

No Healthy Child Programme provider data (Cambridgeshire Community Services NHS Trust) is
published, so the dashboard ships made-up quarterly returns that let every page, chart and check
be demonstrated. Every figure written here is invented. The dashboard labels them "illustrative"
wherever they appear.

Output: data/bundled/illustrative/provider_quarterly_returns.csv, in the provider quarterly
return format:

    indicator_code,area_code,period,numerator,denominator,value,provisional,value_note

- One row per provider KPI (the indicators with ``illustrative: true`` in
  data/catalogue/indicators.yaml) x area (Cambridgeshire E10000003, Peterborough E06000031)
  x quarter, 2021/22 Q1 to 2025/26 Q2 (18 quarters).
- Proportions: integer numerator and denominator, ``value`` left blank for the importer to
  calculate. Counts and WTE: ``value`` only. The vacancy rate is also given as ``value`` only,
  because it is a share of whole-time-equivalent posts (fractional, not a count of people), so
  a binomial confidence interval does not apply to it.
- 2025/26 Q2 rows are ``provisional = yes``; all others ``no``.
- ``value_note`` is blank except on the first row of each series (KPI x area):
  "Illustrative figures, not real provider data".

Sizes
- Births: about 6,800 a year in Cambridgeshire (about 1,700 a quarter) and 2,600 a year in
  Peterborough (about 650), with a small seasonal pattern (more in July to September) and a
  gentle decline of about 1% a year.
- School cohorts: Reception about 7,050 (Cambridgeshire) and 2,900 (Peterborough); Year 6 about
  7,300 and 2,750.
- Workforce establishment: about 198 WTE (Cambridgeshire) and 78 WTE (Peterborough), rising to
  204 and 81 WTE from April 2025 with the new skill-mix model.

School-year timing (National Child Measurement Programme and Reception vision screening)
Measurement follows the academic year, so it falls unevenly across financial quarters:
  Q3 (October to December, autumn term) and Q4 (January to March, spring term) carry most of it;
  Q1 (April to June, summer term) is catch-up before the NCMP submission deadline;
  Q2 (July to September, mostly school holidays) has none.
Shares of the year's cohort measured: NCMP Reception Q3 35%, Q4 50%, Q1 15%; NCMP Year 6 Q3 50%,
Q4 40%, Q1 10%; vision screening Q3 30%, Q4 45%, Q1 25%. In Q2 the row is present with
numerator, denominator and value all blank: there is nothing to report, which is different
from a zero. 'Getting Ready for Change' questionnaires are issued at four transition points at
different times of year (post-16 and Reception in the autumn, Year 9 in the spring, Year 6 in the
summer term), so every quarter has some, with fewer in Q2.

Patterns built into the series (for statistical process control and the performance-linked
payment demonstrations)
- Workforce-driven dip in 2022/23, then recovery: ``wf-vacancy-rate`` climbs from about 8% to
  17-20% during 2022/23 and falls back by 2023/24 Q2 (to about 6-7% from April 2025);
  ``wf-staff-in-post`` mirrors it. The reviews that depend on staff time dip with it and recover:
  ``hv-6-8-week-review`` (clearest: about 91% down to about 76% in Cambridgeshire),
  ``hv-antenatal-contact``, ``hv-12-month-review-12m``, ``hv-12-month-review-15m``,
  ``hv-maternal-mood`` and ``sn-vision-screening-reception``. ``hv-new-birth-visit-after-14d``
  rises while ``hv-new-birth-visit-14d`` dips slightly: visits slip late rather than being missed.
- Sustained improvement: ``hv-2-year-review`` steps up from 2023/24 Q1 (group 2-year review
  clinics), from about 71% to about 85% in Cambridgeshire (67% to 80% in Peterborough), giving a
  run of 10 quarters above the mean.
- Stuck near 99-100%: ``hv-2-year-review-asq3`` (almost every review uses ASQ-3).
- Consistently misses its target: ``hv-12-month-review-12m`` runs at about 65-82% against the
  85% target in both areas, with its upper process limit below the target (the 15-month
  measure shows most children are seen a little later).
- Hit and miss around the target: ``hv-new-birth-visit-14d`` varies around 88-89% with the 90%
  target inside its process limits (about 84-93%).
- Others: ``hv-breastfeeding-6-8-weeks`` passes its 50% target in Cambridgeshire (about 57%,
  slowly rising) and sits just below it in Peterborough (about 47%); NCMP participation is high
  and stable; ``sn-referrals-dropins`` is seasonal (low in the summer holidays) and grows from
  April 2025 with the new place-based teams.

Deterministic: a single seeded numpy Generator (SEED below) draws every random number in a fixed
order, so running the script again writes the same file byte for byte.

Run from the repository root:
    uv run python scripts/make_illustrative_returns.py
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import yaml

SEED = 20241008

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "data" / "catalogue" / "indicators.yaml"
OUTPUT = ROOT / "data" / "bundled" / "illustrative" / "provider_quarterly_returns.csv"

COLUMNS = [
    "indicator_code",
    "area_code",
    "period",
    "numerator",
    "denominator",
    "value",
    "provisional",
    "value_note",
]
NOTE = "Illustrative figures, not real provider data"

CAMBS = "E10000003"
PBORO = "E06000031"
AREAS = (CAMBS, PBORO)

# 2021/22 Q1 ... 2025/26 Q2
PERIODS = [(fy, q) for fy in range(2021, 2026) for q in (1, 2, 3, 4)][:18]
N = len(PERIODS)
QUARTER = np.array([q for _, q in PERIODS])
T = np.arange(N)


def period_label(fy: int, q: int) -> str:
    return f"{fy}/{(fy + 1) % 100:02d} Q{q}"


# Workforce pressure: 0 = none, 1 = worst. Builds in 2021/22 Q4, worst in 2022/23 Q2-Q3,
# recovered by 2023/24 Q3.
WORKFORCE = np.array([0, 0, 0, 0.3, 0.7, 1.0, 1.0, 0.6, 0.3, 0.1] + [0] * (N - 10))
# New Section 75 agreements and skill-mix model from 2025/26 Q1 (index 16).
NEW_MODEL = (T >= 16).astype(float)
# Group 2-year review clinics from 2023/24 Q1 (index 8).
CLINICS = (T >= 8).astype(float)

BIRTHS = {CAMBS: 1700.0, PBORO: 650.0}
BIRTH_SEASON = {1: 0.98, 2: 1.04, 3: 1.01, 4: 0.97}
RECEPTION_COHORT = {CAMBS: 7050.0, PBORO: 2900.0}
YEAR6_COHORT = {CAMBS: 7300.0, PBORO: 2750.0}
ESTABLISHMENT = {CAMBS: (198.0, 204.0), PBORO: (78.0, 81.0)}

# Share of the year's cohort measured / screened in each financial quarter (Q2 = none).
NCMP_RECEPTION_SHARE = {1: 0.15, 2: 0.0, 3: 0.35, 4: 0.50}
NCMP_YEAR6_SHARE = {1: 0.10, 2: 0.0, 3: 0.50, 4: 0.40}
VISION_SHARE = {1: 0.25, 2: 0.0, 3: 0.30, 4: 0.45}
# 'Getting Ready for Change' questionnaires issued per quarter (Cambridgeshire; Peterborough
# scaled by cohort size) and the completion rate typical of the year groups issued then.
GRFC_ISSUED = {1: 6800.0, 2: 2600.0, 3: 9200.0, 4: 7100.0}
GRFC_COMPLETION = {1: 0.61, 2: 0.53, 3: 0.60, 4: 0.55}
REFERRAL_SEASON = {1: 1.0, 2: 0.55, 3: 1.1, 4: 1.05}


def cohort(rng: np.random.Generator, area: str, scale: float = 1.0) -> np.ndarray:
    """Quarterly counts of children reaching an age point (births-driven)."""
    mean = np.array(
        [BIRTHS[area] * scale * BIRTH_SEASON[q] * (0.99 ** (t / 4)) for t, q in zip(T, QUARTER, strict=True)]
    )
    return rng.poisson(mean)


def binomial(rng: np.random.Generator, den: np.ndarray, p: np.ndarray, sd: float) -> np.ndarray:
    """Numerators with a little extra-binomial (quarter-to-quarter) variation."""
    p = np.clip(p + rng.normal(0.0, sd, size=len(p)), 0.0, 1.0)
    return rng.binomial(den, p)


def school_term(
    rng: np.random.Generator, cohort_size: float, shares: dict[int, float], p: np.ndarray, sd: float
) -> tuple[list[int | None], list[int | None]]:
    den = rng.poisson([cohort_size * shares[q] for q in QUARTER])
    num = binomial(rng, den, p, sd)
    nums: list[int | None] = []
    dens: list[int | None] = []
    for q, n, d in zip(QUARTER, num, den, strict=True):
        if shares[q] == 0.0:
            nums.append(None)
            dens.append(None)
        else:
            nums.append(int(n))
            dens.append(int(d))
    return nums, dens


def build() -> dict[tuple[str, str], dict[str, list]]:
    """Return {(indicator_code, area): {"num": [...], "den": [...], "value": [...]}}."""
    rng = np.random.default_rng(SEED)
    series: dict[tuple[str, str], dict[str, list]] = {}

    def prop(code: str, area: str, num, den) -> None:
        series[(code, area)] = {
            "num": [None if n is None else int(n) for n in num],
            "den": [None if d is None else int(d) for d in den],
            "value": [None] * N,
        }

    def val(code: str, area: str, values) -> None:
        series[(code, area)] = {"num": [None] * N, "den": [None] * N, "value": list(values)}

    for area in AREAS:
        cam = area == CAMBS

        # --- Workforce -------------------------------------------------------------------
        base_vac = 7.5 if cam else 9.0
        vacancy = base_vac + (10.0 if cam else 11.0) * WORKFORCE - 1.5 * NEW_MODEL
        vacancy = np.clip(vacancy + rng.normal(0.0, 0.6, N), 5.0, 20.0).round(1)
        est_before, est_after = ESTABLISHMENT[area]
        establishment = np.where(NEW_MODEL == 1.0, est_after, est_before)
        staff = (establishment * (1 - vacancy / 100.0)).round(1)
        val("wf-vacancy-rate", area, vacancy)
        val("wf-staff-in-post", area, staff)

        # --- Antenatal and new birth visits ------------------------------------------------
        births = cohort(rng, area)
        p_c1 = (0.56 if cam else 0.50) - 0.12 * WORKFORCE
        prop("hv-antenatal-contact", area, binomial(rng, births, p_c1, 0.012), births)

        turning_30_days = cohort(rng, area)
        p_c2 = (0.895 if cam else 0.888) - 0.03 * WORKFORCE
        c2 = binomial(rng, turning_30_days, p_c2, 0.010)
        prop("hv-new-birth-visit-14d", area, c2, turning_30_days)
        # Visits after 14 days: almost everyone not seen by day 14 is seen by day 30.
        p_c3 = np.clip(0.983 - c2 / turning_30_days, 0.0, 1.0)
        c3 = np.minimum(binomial(rng, turning_30_days, p_c3, 0.003), turning_30_days - c2)
        prop("hv-new-birth-visit-after-14d", area, c3, turning_30_days)

        # --- 6-8 week review, breastfeeding, maternal mood ----------------------------------
        turning_8_weeks = cohort(rng, area)
        p_68 = (0.91 if cam else 0.87) - 0.14 * WORKFORCE
        reviews_68 = binomial(rng, turning_8_weeks, p_68, 0.008)
        prop("hv-6-8-week-review", area, reviews_68, turning_8_weeks)

        p_bf = (0.565 + 0.002 * T) if cam else (0.47 + 0.0005 * T)
        prop("hv-breastfeeding-6-8-weeks", area, binomial(rng, turning_8_weeks, p_bf, 0.010), turning_8_weeks)

        p_mood = (0.935 if cam else 0.905) - 0.05 * WORKFORCE
        prop("hv-maternal-mood", area, binomial(rng, reviews_68, p_mood, 0.008), reviews_68)

        # --- 12-month review -----------------------------------------------------------------
        turning_12m = cohort(rng, area, 1.01)
        p_12 = (0.775 if cam else 0.745) - 0.08 * WORKFORCE
        prop("hv-12-month-review-12m", area, binomial(rng, turning_12m, p_12, 0.010), turning_12m)

        turning_15m = cohort(rng, area, 1.01)
        p_15 = (0.885 if cam else 0.86) - 0.06 * WORKFORCE
        prop("hv-12-month-review-15m", area, binomial(rng, turning_15m, p_15, 0.008), turning_15m)

        # --- 2-2.5 year review and ASQ-3 -----------------------------------------------------
        turning_2half = cohort(rng, area, 1.02)
        p_2y = (0.71 if cam else 0.67) + (0.145 if cam else 0.13) * CLINICS - 0.04 * WORKFORCE
        reviews_2y = binomial(rng, turning_2half, p_2y, 0.010)
        prop("hv-2-year-review", area, reviews_2y, turning_2half)

        p_asq = np.full(N, 0.994)
        prop("hv-2-year-review-asq3", area, binomial(rng, reviews_2y, p_asq, 0.003), reviews_2y)

        # --- School nursing: NCMP and vision screening --------------------------------------
        num, den = school_term(
            rng, RECEPTION_COHORT[area], NCMP_RECEPTION_SHARE, np.full(N, 0.965 if cam else 0.948), 0.006
        )
        prop("sn-ncmp-reception-participation", area, num, den)

        num, den = school_term(
            rng, YEAR6_COHORT[area], NCMP_YEAR6_SHARE, np.full(N, 0.955 if cam else 0.938), 0.006
        )
        prop("sn-ncmp-year6-participation", area, num, den)

        p_vis = (0.955 if cam else 0.93) - 0.05 * WORKFORCE
        num, den = school_term(rng, RECEPTION_COHORT[area], VISION_SHARE, p_vis, 0.006)
        prop("sn-vision-screening-reception", area, num, den)

        # --- Getting Ready for Change questionnaires ----------------------------------------
        scale = 1.0 if cam else 0.39
        issued = rng.poisson([GRFC_ISSUED[q] * scale for q in QUARTER])
        p_grfc = np.array([GRFC_COMPLETION[q] for q in QUARTER]) + 0.004 * T - (0.0 if cam else 0.04)
        prop("sn-grfc-questionnaires", area, binomial(rng, issued, p_grfc, 0.012), issued)

        # --- Referrals and drop-in contacts --------------------------------------------------
        base = 2600.0 if cam else 1050.0
        mean = np.array([base * REFERRAL_SEASON[q] for q in QUARTER]) * (1 + 0.12 * NEW_MODEL)
        val("sn-referrals-dropins", area, rng.poisson(mean))

    for area in AREAS:
        finance(series, area)
    return series


# Finance line: the year's budget (Cambridgeshire's 2025/26 contract budget; Peterborough's is not
# public, so its figure is made up), 2.5% less for each earlier year, profiled evenly over the
# quarters; spend runs under budget while posts are vacant. No random numbers are drawn, so the rows
# above are unchanged.
ANNUAL_BUDGET_2025 = {CAMBS: 9_126_108.0, PBORO: 3_450_000.0}
SPEND_PROFILE = {1: 0.012, 2: 0.004, 3: -0.003, 4: -0.006}


def finance(series: dict, area: str) -> None:
    """Add the spend-to-date and budget-to-date series (whole pounds) for ``area``."""
    budget, spend = [], []
    for t, (fy, q) in enumerate(PERIODS):
        to_date = ANNUAL_BUDGET_2025[area] * 0.975 ** (2025 - fy) * q / 4
        budget.append(round(to_date))
        spend.append(round(to_date * (1 - 0.06 * WORKFORCE[t] + SPEND_PROFILE[q])))
    for code, values in (("finance-spend-to-date", spend), ("finance-budget-to-date", budget)):
        series[(code, area)] = {"num": [None] * N, "den": [None] * N, "value": values}


def provider_kpi_codes() -> list[str]:
    """Provider KPI codes in catalogue order (the indicators marked illustrative)."""
    with CATALOGUE.open(encoding="utf-8") as fh:
        catalogue = yaml.safe_load(fh)
    return [ind["code"] for ind in catalogue["indicators"] if ind.get("illustrative")]


def fmt(x) -> str:
    if x is None:
        return ""
    if isinstance(x, (float, np.floating)):
        return f"{float(x):.1f}"
    return str(int(x))


def main() -> None:
    series = build()
    codes = provider_kpi_codes()
    built = {code for code, _ in series}
    missing, extra = set(codes) - built, built - set(codes)
    if missing or extra:
        raise SystemExit(f"catalogue and generator disagree: missing={sorted(missing)} extra={sorted(extra)}")

    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    with OUTPUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for code in codes:
            for area in AREAS:
                s = series[(code, area)]
                for i, (fy, q) in enumerate(PERIODS):
                    writer.writerow(
                        [
                            code,
                            area,
                            period_label(fy, q),
                            fmt(s["num"][i]),
                            fmt(s["den"][i]),
                            fmt(s["value"][i]),
                            "yes" if i == N - 1 else "no",
                            NOTE if i == 0 else "",
                        ]
                    )
    print(f"wrote {OUTPUT.relative_to(ROOT)}: {len(codes)} KPIs x {len(AREAS)} areas x {N} quarters")


if __name__ == "__main__":
    main()
