"""kccperf.budget.calculate: risk views, revenue bridges and capital views on the real tables and small frames."""

from __future__ import annotations

import pandas as pd
import pytest

from kccperf import budget, schemas


def test_capital_flags_and_unsecured_share(tables):
    flagged = tables.projects.loc[tables.projects["unsecured_funding"], "row"].tolist()
    assert flagged == ["1", "4", "6", "7", "8", "9", "10", "11"]
    share = budget.unsecured_capital_share(tables.figures, tables.projects).set_index("basis")
    assert share.loc["total_cost", "unsecured"] == 82116 + 29229 + 42717 + 103383 + 14104 + 13306 + 57483 + 35189
    assert share.loc["total_cost", "total"] == 565619


def test_revenue_bridge_steps_add_up_to_the_printed_net_budget(tables):
    for directorate in ("CYPE", "ALL"):
        bridge = budget.revenue_bridge(tables.figures, directorate)
        changes = bridge[bridge["kind"] != "end"]
        assert changes["after"].iloc[-1] == pytest.approx(bridge["amount"].iloc[-1])
    by_member = budget.revenue_bridge_by_member(tables.figures)
    assert set(by_member["column"]) == {"sue_chandler", "rory_love"}
    assert by_member.query("kind == 'start'")["amount"].eq(0).all()


def test_november_bridge_shows_table1_rounding(tables):
    nb = budget.november_bridge(tables.figures).groupby("portfolio")["check"].first()
    assert nb["education"] == 0 and nb["cype"] == 0 and nb["ics"] == pytest.approx(0.1)


def test_unresolved_balances_of_indicative_years(tables):
    ub = budget.unresolved_balances(tables.figures)
    assert sorted(ub["year"].unique()) == ["2026-27", "2027-28"]
    assert ub.set_index(["year", "row"]).loc[("2026-27", "asc_unresolved_balance"), "total"] == -15700.0


def test_cype_share_and_directorate_filter(tables):
    cype = budget.risks_for(tables.risks, "CYPE")
    assert set(cype["directorate"]) == {"CYPE", "ASCH / CYPE", "CYPE / DCED"}
    share = budget.cype_exposure_share(tables.risks, tables.figures).set_index("basis")
    assert share.loc["annual", "joint_m"] == 40.0 and share.loc["annual", "sole_m"] == 20.0
    assert share.loc["annual", "stated_total_m"] == 341.7


@pytest.mark.parametrize(
    ("likelihood", "exposure", "band", "score"),
    [(4, 165.0, 5, 20), (4, 100.0, 5, 20), (4, 99.9, 4, 16), (3, 10.0, 2, 6), (3, 9.99, 1, 3), (2, None, 1, 2), (1, 50.0, 4, 4)],
)
def test_risk_scores_bands(likelihood, exposure, band, score):
    frame = pd.DataFrame({"likelihood": [likelihood], "exposure_m": [exposure]}, dtype=float).astype({"likelihood": int})
    out = budget.risk_scores(frame)
    assert (out["band"].item(), out["score"].item()) == (band, score)


def test_risk_matrix_counts_every_risk(tables):
    matrix = budget.risk_matrix(budget.risk_scores(tables.risks))
    assert matrix.to_numpy().sum() == len(tables.risks) == 41
    assert matrix.loc[4, 5] == 2  # High Needs Spending and non-delivery of savings


@pytest.mark.parametrize(
    ("calculate", "model"),
    [
        (lambda t: budget.risk_scores(t.risks), schemas.RiskScore),
        (lambda t: budget.exposure_by_directorate(t.risks), schemas.DirectorateExposure),
        (lambda t: budget.cype_exposure_share(t.risks, t.figures), schemas.ExposureShare),
        (lambda t: budget.revenue_bridge(t.figures, "CYPE"), schemas.BridgeStep),
        (lambda t: budget.revenue_bridge(t.figures, "ALL"), schemas.BridgeStep),
        (lambda t: budget.revenue_bridge_by_member(t.figures), schemas.BridgeStep),
        (lambda t: budget.november_bridge(t.figures), schemas.NovemberBridgeStep),
        (lambda t: budget.unresolved_balances(t.figures), schemas.UnresolvedBalance),
        (lambda t: budget.capital_profile(t.figures), schemas.CapitalProfile),
        (lambda t: budget.capital_profile(t.figures, t.projects, directorate="CYPE"), schemas.CapitalProfile),
        (lambda t: budget.unsecured_capital_share(t.figures, t.projects), schemas.UnsecuredShare),
    ],
)
def test_outputs_follow_their_schemas(tables, calculate, model):
    out = calculate(tables)
    model.validate(out, lazy=True)
    assert len(out) > 0 and set(out.columns) == set(model.to_schema().columns)
