"""Data sources: what each bundled dataset is, where it came from, what it covers and its licence.

The text restates ``data/bundled/PROVENANCE.md`` and ``data/bundled/LICENCE.md`` for readers of the
dashboard; keep them in step when a dataset is added or replaced.
"""

from __future__ import annotations

from typing import NotRequired, TypedDict

import dash
from dash import html

from dashboard import data_access, routes
from dashboard.components.attributes import extra
from dashboard.components.govuk import details, summary_list, table
from dashboard.components.notices import illustrative_banner

TITLE = routes.TITLES[routes.DATA_SOURCES]

dash.register_page(
    __name__,
    path=routes.DATA_SOURCES,
    name=TITLE,
    title=routes.page_title(TITLE),
    description="What each dataset in the Healthy Child Programme outcomes dashboard is, where it came from, "
    "what it covers and the licence it is used under.",
    order=3,
)

OGL = "Open Government Licence v3.0"
OGL_ATTRIBUTION = "Contains public sector information licensed under the Open Government Licence v3.0."
ONS_ATTRIBUTION = (
    "Source: Office for National Statistics licensed under the Open Government Licence v.3.0. "
    "Contains OS data © Crown copyright and database right 2024."
)

COUNTIES = "Counties and unitary authorities"
DISTRICTS = "Districts and unitary authorities"
NEIGHBOURS = "Trafford and its 10 statistical neighbours, including Cambridgeshire"
FILE_COLUMNS = ("File", "Indicator (Fingertips ID)", "Areas", "Periods", "Rows")


class Dataset(TypedDict):
    """One dataset as the page describes it; ``files`` lists its files as the columns of ``FILE_COLUMNS``."""

    id: str
    title: str
    what: str
    indicators: str
    coverage: str
    periods: str
    source: str
    licence: str
    files: NotRequired[tuple[tuple[str, str, str, str, str], ...]]


DATASETS: tuple[Dataset, ...] = (
    {
        "id": "fingertips-mental-health",
        "title": "Children and young people's mental health: Fingertips downloads",
        "what": "The standard CSV download from OHID Fingertips (the Children and Young People's Mental "
        "Health "
        "and Wellbeing profile), one file per English region, for counties and unitary authorities. These "
        "are "
        "the only bundled files with confidence intervals, counts and denominators.",
        "indicators": "10 indicators, including hospital admissions as a result of self-harm (10-24 and "
        "10-14 "
        "years), school pupils with social, emotional and mental health needs, looked-after children whose "
        "emotional wellbeing is a cause for concern, and estimated prevalence of mental health disorders.",
        "coverage": "119 counties and unitary authorities in 8 of the 9 English regions (London is missing), "
        "the "
        "8 regions and England: 1,350 rows. Cambridgeshire, Peterborough and the East of England are "
        "included.",
        "periods": "One period per indicator (2013, 2015, 2016/17, 2017/18 or 2018): not a time series.",
        "source": "OHID Fingertips (formerly Public Health England), as downloaded and published in the "
        "public "
        "GitHub repository Jezzaay/Mental-Health-Analysis, folder \u201cdata/children & Younger "
        "people\u201d, "
        "commit c709b4c (16 April 2021). Files renamed only to remove spaces; content unchanged.",
        "licence": f"{OGL}, Crown copyright (OHID Fingertips). The repository itself has no licence file.",
    },
    {
        "id": "trafford-2020",
        "title": "Children's indicators for every area in England, to 2018 (Trafford Data Lab)",
        "what": "Tidy extracts of OHID Fingertips indicators for every county and unitary authority, or "
        "every "
        "district and unitary authority, in England, prepared with the fingertipsR package. Each row has the "
        "value and Fingertips' published comparison with England, but no confidence intervals, counts or "
        "denominators.",
        "indicators": "9 indicators: self-harm admissions (10-24), children on child protection plans, "
        "children "
        "in care, 16-17 year olds not in education, employment or training (NEET), school readiness of "
        "pupils "
        "eligible for free school meals, 5 year olds free from dental decay, excess weight in Reception and "
        "Year 6, and children in low income families.",
        "coverage": "Every county and unitary authority (154 areas) or every district and unitary authority "
        "(328 "
        "areas) in England, with England. County-level files include Cambridgeshire and Peterborough; "
        "district-level files include the five Cambridgeshire districts and Peterborough.",
        "periods": "Up to 12 years per indicator, from 2006/07 to 2017/18.",
        "source": "Public GitHub repository traffordDataLab/dashboard, folder data/children, commit 83e9bc0 "
        "(20 August 2020). Underlying sources: OHID Fingertips, from NHS England Hospital Episode Statistics "
        "and "
        "the National Child Measurement Programme, DfE and HMRC.",
        "licence": f"Data under the {OGL}; the extracts are by Trafford Data Lab (MIT licence, © Trafford "
        "Data "
        "Lab 2019).",
        "files": (
            (
                "admissions_self_harm_young_people.csv",
                "Hospital admissions as a result of self-harm, 10-24 (90813)",
                COUNTIES,
                "2011/12 to 2017/18",
                "1,078",
            ),
            (
                "child_protection_plans.csv",
                "Children on child protection plans, rate per 10,000 (90886)",
                COUNTIES,
                "2012/13 to 2014/15",
                "462",
            ),
            (
                "children_in_care.csv",
                "Children in care, rate per 10,000 (90803)",
                COUNTIES,
                "2011 to 2018",
                "1,228",
            ),
            (
                "neets.csv",
                "16-17 year olds not in education, employment or training (93203)",
                COUNTIES,
                "2016 to 2018",
                "462",
            ),
            (
                "school_readiness_fsm.csv",
                "Good level of development, free school meals pupils (90632)",
                COUNTIES,
                "2012/13 to 2017/18",
                "924",
            ),
            (
                "dental_decay.csv",
                "5 year olds free from dental decay (92441)",
                DISTRICTS,
                "2007/08 to 2016/17",
                "2,074",
            ),
            (
                "excess_weight_reception.csv",
                "Reception: excess weight (20601)",
                DISTRICTS,
                "2006/07 to 2017/18",
                "3,936",
            ),
            (
                "excess_weight_year6.csv",
                "Year 6: excess weight (20602)",
                DISTRICTS,
                "2006/07 to 2017/18",
                "3,936",
            ),
            (
                "low_income_families.csv",
                "Children in low income families (10101)",
                DISTRICTS,
                "2006 to 2016",
                "3,608",
            ),
        ),
    },
    {
        "id": "trafford-2026",
        "title": "Newer children's indicators, to 2024/25 (Trafford Data Lab)",
        "what": "Tidy extracts of OHID Fingertips, Department for Education, Department for Work and "
        "Pensions "
        "and Youth Justice Board figures, without confidence intervals.",
        "indicators": "Obesity in Reception and Year 6, visually obvious dental decay at age 5, physically "
        "active "
        "children, MMR vaccination, children in relative and absolute low income families, school readiness, "
        "NEET, children cautioned or sentenced, and looked-after children's health and dental checks.",
        "coverage": "Obesity, dental decay and physical activity: every district and unitary authority in "
        "England. "
        "The other files hold only Trafford, its ten statistical neighbours and England: Cambridgeshire is "
        "one "
        "of those neighbours; Peterborough and the Cambridgeshire districts are not.",
        "periods": "Between 2014/15 and 2024/25, depending on the indicator (NEET to 2025).",
        "source": "Public GitHub repository traffordDataLab/trafford_themes, folder data/children, commit "
        "ae20a08 (13 May 2026). Underlying sources: OHID Fingertips, DfE, DWP Stat-Xplore and the Youth "
        "Justice "
        "Board.",
        "licence": f"Data under the {OGL}; the extracts are by Trafford Data Lab (MIT licence, © Trafford "
        "Data "
        "Lab 2024).",
        "files": (
            (
                "obese_reception.csv",
                "Reception obesity including severe obesity (90319; 93105; 92026)",
                DISTRICTS,
                "2014/15 to 2024/25",
                "3,671",
            ),
            (
                "obese_year6.csv",
                "Year 6 obesity including severe obesity (90323; 93107; 92033)",
                DISTRICTS,
                "2014/15 to 2024/25",
                "3,671",
            ),
            (
                "children_dental_decay.csv",
                "5 year olds with visually obvious dental decay (93563)",
                DISTRICTS,
                "2014/15 to 2023/24",
                "1,614",
            ),
            (
                "active_children.csv",
                "Physically active children and young people (93570)",
                DISTRICTS,
                "2017/18 to 2024/25",
                "2,514",
            ),
            (
                "vaccination_mmr.csv",
                "MMR one dose at 2 years; two doses at 5 years",
                NEIGHBOURS,
                "2017/18 to 2024/25",
                "192",
            ),
            (
                "children_poverty.csv",
                "Children in relative and absolute low income families (DWP)",
                NEIGHBOURS,
                "2017/18 to 2024/25",
                "213",
            ),
            (
                "school_readiness.csv",
                "Good level of development, all and free school meals pupils (90631; 90632)",
                NEIGHBOURS,
                "2021/22 to 2024/25",
                "96",
            ),
            (
                "neet.csv",
                "16-17 year olds NEET, and NEET or not known (DfE)",
                NEIGHBOURS,
                "2019 to 2025",
                "168",
            ),
            (
                "children_offending.csv",
                "Children cautioned or sentenced (Youth Justice Board)",
                NEIGHBOURS,
                "2014/15 to 2024/25",
                "242",
            ),
            (
                "cla_health_assessment.csv",
                "Looked-after children with an annual health assessment (DfE)",
                NEIGHBOURS,
                "2017/18 to 2024/25",
                "96",
            ),
            (
                "cla_dental_check.csv",
                "Looked-after children with a dental check (DfE)",
                NEIGHBOURS,
                "2017/18 to 2024/25",
                "96",
            ),
        ),
    },
    {
        "id": "boundaries",
        "title": "Area boundaries (ONS)",
        "what": "Simplified boundaries of counties and unitary authorities (December 2023), local authority "
        "districts (May 2024) and regions (December 2023), and two small files cut from them holding only "
        "Cambridgeshire, Peterborough and the Cambridgeshire districts. Used for area names and maps.",
        "indicators": "None: boundaries and area names only.",
        "coverage": "Every county, unitary authority and district in the UK; every region in England.",
        "periods": "Boundaries as at December 2023 and May 2024.",
        "source": "ONS Open Geography Portal products, as published in the public GitHub repository "
        "dhsc-govuk/FingertipsNext (folder frontend/fingertips-frontend/public/maps, commit baa2827).",
        "licence": f"{OGL}. {ONS_ATTRIBUTION}",
    },
    {
        "id": "area-hierarchy",
        "title": "Area hierarchy (FingertipsNext)",
        "what": "Which area sits inside which: for example, the five districts inside Cambridgeshire, and "
        "Cambridgeshire and Peterborough inside the East of England and inside the Cambridgeshire and "
        "Peterborough Combined Authority.",
        "indicators": "None: area codes and names only.",
        "coverage": "England, its regions, combined authorities, counties and unitary authorities, and a "
        "subset "
        "of districts (plus NHS geographies the dashboard does not use).",
        "periods": "Not applicable.",
        "source": "Public GitHub repository dhsc-govuk/FingertipsNext, file DataCreator/DataCreator/data/out/"
        "areas.csv, commit 54aee38.",
        "licence": "Repository MIT licence (Crown copyright, Department of Health and Social Care 2024); "
        "area "
        f"codes and names are ONS, under the {OGL}.",
    },
    {
        "id": "illustrative",
        "title": "Provider KPI returns: illustrative figures",
        "what": "Made-up quarterly returns for the provider's key performance indicators: health visiting "
        "reviews, school nursing activity and workforce. Cambridgeshire Community Services NHS Trust's "
        "returns are not published, so these let contract monitoring and the performance-linked payment be "
        "shown before real returns are loaded. They are not real data, and the dashboard marks them "
        "\u201cillustrative\u201d wherever they appear.",
        "indicators": "17 provider KPIs.",
        "coverage": "Cambridgeshire and Peterborough.",
        "periods": "18 quarters, 2021/22 Q1 to 2025/26 Q2 (the last marked provisional).",
        "source": "Generated for this dashboard with a fixed random seed, so they can be made again exactly. "
        "Loading the provider's real return in the same format replaces them.",
        "licence": "Made up for demonstration: not real data and not licensed from anyone.",
    },
)

NOT_FOUND = (
    "smoking status at time of delivery",
    "low birth weight of term babies",
    "breastfeeding (first feed and at 6-8 weeks)",
    "MMR and DTaP vaccination coverage (MMR is included for Cambridgeshire, without confidence intervals)",
    "A&E attendances and hospital admissions of children under 5, and asthma admissions",
    "under-18 conceptions",
    "child development at 2 to 2\u00bd years (ASQ-3)",
    "first-time entrants to the youth justice system",
    (
        "health visiting reviews (new birth visit, 6-8 week, 12-month and 2 to 2\u00bd year reviews) by "
        "local "
        "authority"
    ),
)


def _dataset(dataset: Dataset) -> html.Section:
    rows = [
        ("What it is", dataset["what"]),
        ("Indicators", dataset["indicators"]),
        ("Areas", dataset["coverage"]),
        ("Periods", dataset["periods"]),
        ("Where it came from", dataset["source"]),
        ("Licence", dataset["licence"]),
    ]
    children = [html.H2(dataset["title"], className="app-heading-l", id=dataset["id"]), summary_list(rows)]
    if dataset.get("files"):
        children.append(
            details(
                f"Files in this dataset ({len(dataset['files'])})",
                table(
                    f"Files: {dataset['title']}",
                    FILE_COLUMNS,
                    dataset["files"],
                    numeric=("Rows",),
                    caption_size="s",
                ),
            )
        )
    return html.Section(children, **extra({"aria-labelledby": dataset["id"]}))


def _not_in_a_framework() -> html.Section:
    """The indicators loaded from files the catalogue lacked, each with the file it came from."""
    try:
        unmapped = data_access.not_in_a_framework()
    except data_access.DataUnavailable:
        listed: list = [
            html.P("The list of these indicators could not be read just now.", className="app-body")
        ]
    else:
        listed = (
            [html.Ul([html.Li(f"{row.name}: {row.source}") for row in unmapped.itertuples(index=False)])]
            if not unmapped.empty
            else [html.P("None: every indicator loaded is in a framework.", className="app-body")]
        )
    return html.Section(
        [
            html.H2("Not in a framework", className="app-heading-l", id="not-in-a-framework"),
            html.P(
                [
                    "Indicators loaded from a file that carried them although the catalogue did not, "
                    "described "
                    "only by what the file said. ",
                    html.A("See them, and map them into a framework", href=routes.href(routes.CATALOGUE)),
                    ".",
                ],
                className="app-body",
            ),
            *listed,
        ],
        id="data-sources-not-in-a-framework",
        **extra({"aria-labelledby": "not-in-a-framework"}),
    )


def layout(**_query) -> html.Div:
    return html.Div(
        [
            html.H1(TITLE, className="app-heading-xl"),
            html.P(
                "Where the figures in this dashboard come from, what each dataset covers, and the licence it "
                "is "
                "used under. All the public figures are real published statistics, copied unchanged; they "
                "are "
                "older than the latest published figures for many indicators (mostly 2006 to 2018, some to "
                "2024/25), and some have gaps.",
                className="app-body-l",
            ),
            illustrative_banner(
                "The provider's key performance indicator (KPI) figures are made up to show how contract "
                "monitoring and the performance-linked payment work. Every other figure is real published "
                "data.",
            ),
            html.H2("Contents", className="app-heading-m", id="contents"),
            html.Ul(
                [html.Li(html.A(d["title"], href=f"#{d['id']}")) for d in DATASETS]
                + [
                    html.Li(html.A("Not in a framework", href="#not-in-a-framework")),
                    html.Li(html.A("Not yet available", href="#not-yet-available")),
                    html.Li(html.A("Licences and attribution", href="#licences")),
                ],
                className="app-list",
            ),
            *(_dataset(d) for d in DATASETS),
            _not_in_a_framework(),
            html.Section(
                [
                    html.H2("Not yet available", className="app-heading-l", id="not-yet-available"),
                    html.P(
                        "No public file was found with Cambridgeshire or Peterborough figures for these "
                        "indicators "
                        "together with their confidence intervals, counts and denominators, so the dashboard "
                        "cannot "
                        "yet show them in full. They can be loaded from a Fingertips download when one is "
                        "available:",
                        className="app-body",
                    ),
                    html.Ul([html.Li(item) for item in NOT_FOUND], className="app-list"),
                    html.P(
                        "Nor was a machine-readable copy found of the Cambridgeshire Insight children and "
                        "young "
                        "people's outcomes framework spreadsheet or the joint strategic needs assessment "
                        "children's tables.",
                        className="app-body",
                    ),
                ],
                **extra({"aria-labelledby": "not-yet-available"}),
            ),
            html.Section(
                [
                    html.H2("Licences and attribution", className="app-heading-l", id="licences"),
                    html.H3("Public health data", className="app-heading-m"),
                    html.P(OGL_ATTRIBUTION, className="app-body"),
                    html.P(
                        "Sources: Office for Health Improvement and Disparities (OHID) Fingertips, formerly "
                        "Public "
                        "Health England; Department for Education; Department for Work and Pensions "
                        "(Stat-Xplore); "
                        "Youth Justice Board; underlying NHS England (NHS Digital) Hospital Episode "
                        "Statistics and "
                        "National Child Measurement Programme.",
                        className="app-body",
                    ),
                    html.H3("Boundaries and area codes", className="app-heading-m"),
                    html.P(ONS_ATTRIBUTION, className="app-body"),
                    html.P(
                        "Area hierarchy: Department of Health and Social Care, FingertipsNext (MIT licence, "
                        "Crown "
                        "copyright 2024); codes and names are ONS, under the Open Government Licence v3.0.",
                        className="app-body",
                    ),
                    html.H3("Illustrative provider returns", className="app-heading-m"),
                    html.P(
                        "Made up for demonstration; not real data and not licensed from anyone.",
                        className="app-body",
                    ),
                    html.P(
                        [
                            "Read the ",
                            html.A(
                                "Open Government Licence v3.0",
                                href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
                            ),
                            " on the National Archives website.",
                        ],
                        className="app-body",
                    ),
                ],
                **extra({"aria-labelledby": "licences"}),
            ),
        ],
        className="app-page app-page--data-sources",
    )
