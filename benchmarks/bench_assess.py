"""Speed of kccperf.judge.assess on a 1,000,000-row synthetic scorecard, against a plain numpy reference.

Run: .venv/bin/python benchmarks/bench_assess.py [--areas 153 --indicators 60 --periods 110 --repeat 3]

The reference computes the same RAG and direction-of-travel arrays with numpy alone,
from arrays prepared in advance (integer series ids and period ordinals), so the ratio
shows the cost of assess's DataFrame handling, validation, target lookup and benchmarks.
Targets: assess within 3x of the reference and under 2 s for 1M rows on a 2-core machine.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from kccperf.judge.assess import assess
from kccperf.judge.rag import rag_arrays


def synthetic(areas: int, indicators: int, periods: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    months = pd.period_range(end="2024-10", periods=periods, freq="M").strftime("%Y-%m").to_numpy()
    area = np.repeat([f"Authority {i:03d}" for i in range(areas)], indicators * periods)
    ind_ids = np.array([f"ind_{j:02d}" for j in range(indicators)])
    indicator = np.tile(np.repeat(ind_ids, periods), areas)
    period = np.tile(months, areas * indicators)
    pol_of = rng.choice(np.array(["H", "L", "T"]), size=indicators)
    polarity = np.tile(np.repeat(pol_of, periods), areas)
    value = np.round(rng.uniform(0, 100, size=len(area)), 1)
    latest = period == months[-1]
    den = np.where(latest, rng.integers(20, 2000, size=len(area)), np.nan)
    num = np.where(latest, np.floor(den * value / 100), np.nan)
    df = pd.DataFrame(
        {
            "area": area,
            "block": "",
            "indicator": indicator,
            "polarity": polarity,
            "period_type": "MS",
            "period": period,
            "value": value,
            "numerator": num,
            "denominator": den,
            "decimals": 1.0,
            "england": np.where(latest, 50.0, np.nan),
            "regional": np.where(latest, 52.0, np.nan),
        }
    )
    years = sorted({"2024-25", "2023-24"})
    targets = pd.DataFrame(
        [
            {
                "indicator": i,
                "year": y,
                "target": 60.0,
                "floor": 45.0 if p == "H" else (75.0 if p == "L" else 15.0),
                "floor_source": "inferred",
                "range_low": 55.0 if p == "T" else np.nan,
                "range_high": 65.0 if p == "T" else np.nan,
            }
            for i, p in zip(ind_ids, pol_of)
            for y in years
        ]
    )
    for i, p in zip(ind_ids, pol_of):
        if p == "L":
            targets.loc[targets.indicator == i, "target"] = 40.0
    catalogue = pd.DataFrame({"indicator": ind_ids, "seasonal": False, "unit": "percent"})
    return df, targets, catalogue


def numpy_reference(series, ordinal, value, polarity, target, floor, lo, hi):
    """RAG and DOT of each series' latest period with numpy only."""
    order = np.lexsort((ordinal, series))
    s = series[order]
    last = np.r_[s[1:] != s[:-1], True]
    latest = order[last]
    prev_pos = np.flatnonzero(last) - 1
    has_prev = (prev_pos >= 0) & (s[np.maximum(prev_pos, 0)] == s[last])
    has_prev &= ordinal[order][np.maximum(prev_pos, 0)] == ordinal[latest] - 1
    prev = np.where(has_prev, value[order][np.maximum(prev_pos, 0)], np.nan)
    rag, _ = rag_arrays(value[latest], polarity[latest], target[latest], floor[latest], lo[latest], hi[latest])
    v, pol, t = value[latest], polarity[latest], target[latest]
    dist = lambda x: np.maximum(np.maximum(lo[latest] - x, x - hi[latest]), 0.0)  # noqa: E731
    gain = np.where(pol == "H", v - prev, np.where(pol == "L", prev - v, dist(prev) - dist(v)))
    gain = np.where((pol == "T") & (np.abs(gain) < 1e-9), np.abs(prev - t) - np.abs(v - t), gain)
    dot = np.select(
        [~np.isfinite(gain), np.abs(gain) < 1e-9, gain > 0], ["not comparable", "same", "improved"], default="worsened"
    )
    return rag, dot


def numpy_from_columns(area, block, indicator, period, value, polarity, target, floor, lo, hi):
    """The same RAG and DOT from the frame's own columns, with numpy alone (np.unique for ids and periods)."""
    _, a = np.unique(area, return_inverse=True)
    _, b = np.unique(block, return_inverse=True)
    ind_u, i = np.unique(indicator, return_inverse=True)
    per_u, p = np.unique(period, return_inverse=True)
    series = (a * (b.max() + 1) + b) * len(ind_u) + i
    # Monthly keys 'YYYY-MM' to ordinals, once per distinct key.
    ym = np.array([int(k[:4]) * 12 + int(k[5:7]) - 1 for k in per_u])
    return numpy_reference(series, ym[p], value, polarity, target, floor, lo, hi)


def best_of(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--areas", type=int, default=153)
    ap.add_argument("--indicators", type=int, default=60)
    ap.add_argument("--periods", type=int, default=110)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    df, targets, catalogue = synthetic(args.areas, args.indicators, args.periods)
    n = len(df)

    # Arrays for the reference, prepared outside its timing.
    series = pd.factorize(df["area"] + "|" + df["indicator"])[0]
    ordinal = pd.PeriodIndex(df["period"], freq="M").asi8 if hasattr(pd.PeriodIndex(df["period"][:1], freq="M"), "asi8") else None
    ordinal = np.asarray(ordinal, dtype=np.int64)
    tk = targets[targets.year == "2024-25"].set_index("indicator")
    target = df["indicator"].map(tk["target"]).to_numpy(float)
    floor = df["indicator"].map(tk["floor"]).to_numpy(float)
    lo = df["indicator"].map(tk["range_low"]).to_numpy(float)
    hi = df["indicator"].map(tk["range_high"]).to_numpy(float)
    value, polarity = df["value"].to_numpy(float), df["polarity"].to_numpy(object)

    result = assess(df, targets=targets, indicators=catalogue, county="Authority 000")
    ref_rag, ref_dot = numpy_reference(series, ordinal, value, polarity, target, floor, lo, hi)
    got = result.sort_values(["area", "indicator"])
    assert (np.sort(got["rag"].to_numpy().astype(str)) == np.sort(ref_rag.astype(str))).all(), "RAG arrays differ"
    assert (np.sort(got["dot"].to_numpy().astype(str)) == np.sort(ref_dot.astype(str))).all(), "DOT arrays differ"

    t_assess = best_of(lambda: assess(df, targets=targets, indicators=catalogue, county="Authority 000"), args.repeat)
    t_ref = best_of(lambda: numpy_reference(series, ordinal, value, polarity, target, floor, lo, hi), args.repeat)
    cols = [df[c].to_numpy() for c in ("area", "block", "indicator", "period")]
    ref2_rag, _ = numpy_from_columns(*cols, value, polarity, target, floor, lo, hi)
    assert (np.sort(ref2_rag.astype(str)) == np.sort(ref_rag.astype(str))).all()
    t_cols = best_of(lambda: numpy_from_columns(*cols, value, polarity, target, floor, lo, hi), args.repeat)
    print(f"rows: {n:,} ({args.areas} areas x {args.indicators} indicators x {args.periods} periods); series: {len(result):,}")
    print(f"assess (RAG, DOT, benchmark gaps, ranks, intervals): {t_assess:.3f} s  = {n / t_assess:,.0f} rows/s")
    print(f"numpy reference from the frame's columns (RAG, DOT): {t_cols:.3f} s  = {n / t_cols:,.0f} rows/s")
    print(f"numpy reference from prepared integer ids (RAG, DOT): {t_ref:.3f} s  = {n / t_ref:,.0f} rows/s")
    print(f"ratio assess / numpy from columns: {t_assess / t_cols:.2f}x (target: at most 3x)")
    print(f"ratio assess / numpy from prepared ids: {t_assess / t_ref:.2f}x (a lower bound that skips reading the strings)")
    print(f"1M rows under 2 s: {'yes' if t_assess < 2 else 'no'}")


if __name__ == "__main__":
    main()
