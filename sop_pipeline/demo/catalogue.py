"""The demo company: a consumer-durables maker with eight product families sold to a few
customers in four regions. Its SKU catalogue carries the hidden parameters (level, trend,
life cycle) that drive the simulated sales, and `items_at` is its ERP item master at a cycle."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from sop_pipeline.demo.months import iso_dates, month_ends


@dataclass(frozen=True)
class Family:
    """A product family: naming, seasonality and where and how long its SKUs are assembled."""

    name: str
    prefix: str  # SKU code prefix
    label: str  # English item name
    chinese: str  # Chinese item name, for the GBK-encoded item master
    peak_month: int  # calendar month of the seasonal peak
    amplitude: float  # seasonal swing around the yearly mean
    price: float  # typical list price
    hours: float  # typical assembly hours per unit
    line: str  # assembly line
    pressed: bool  # has pressed metal parts, so some SKUs also load the press shop
    weight: float  # share of the catalogue


FAMILIES = (
    Family("Air Conditioners", "AC", "Split air conditioner", "变频空调", 7, 0.45, 420.0, 1.1,
           "ASSY-A", True, 0.16),
    Family("Space Heaters", "HT", "Space heater", "取暖器", 12, 0.55, 65.0, 0.35,
           "ASSY-A", False, 0.10),
    Family("Refrigerators", "RF", "Refrigerator", "冰箱", 8, 0.20, 520.0, 1.3,
           "ASSY-B", True, 0.14),
    Family("Washing Machines", "WM", "Washing machine", "洗衣机", 11, 0.15, 380.0, 1.0,
           "ASSY-B", True, 0.14),
    Family("Microwave Ovens", "MW", "Microwave oven", "微波炉", 12, 0.20, 90.0, 0.45,
           "ASSY-C", True, 0.12),
    Family("Vacuum Cleaners", "VC", "Vacuum cleaner", "吸尘器", 11, 0.25, 140.0, 0.40,
           "ASSY-C", False, 0.12),
    Family("Electric Fans", "FN", "Electric fan", "电风扇", 6, 0.60, 45.0, 0.25,
           "ASSY-D", False, 0.10),
    Family("Water Heaters", "WH", "Water heater", "热水器", 1, 0.30, 260.0, 0.80,
           "ASSY-D", True, 0.12),
)  # fmt: skip
REGIONS = ("NORTH", "SOUTH", "EAST", "WEST")
REGION_SHARE = np.array([0.30, 0.25, 0.27, 0.18])
VARIANTS = ("Standard", "Deluxe", "Eco", "Compact", "Pro", "Silent", "Smart", "XL")
VARIANTS_CN = ("标准型", "豪华型", "节能型", "紧凑型", "专业型", "静音型", "智能型", "大容量")
NEW_STATUS_MONTHS = 8  # a launched SKU counts as `new` for this many months
PHASE_OUT_NOTICE = 10  # months before its end date that a SKU is flagged `phase_out`
MASTER_DATA_LEAD = 6  # months before launch that a new SKU appears in the item master


def build_catalogue(rng: np.random.Generator, n_skus: int, last_cycle: int) -> pd.DataFrame:
    """The SKU catalogue, one row per SKU: item master fields plus the demand parameters
    `kind` (regular / intermittent / new / phase_out), `level` (units a month), `trend` (per
    year), `p_order` (chance of an order in a region-month), `launch` and `end` (month
    ordinals; `end` is -1 when the SKU is not being phased out)."""
    family = rng.choice(len(FAMILIES), size=n_skus, p=[f.weight for f in FAMILIES])
    family.sort(kind="stable")  # SKU codes numbered family by family, as item masters are
    kind = rng.permutation(_kinds(n_skus))
    fam = [FAMILIES[i] for i in family]
    number = pd.Series(family).groupby(family).cumcount().to_numpy() + 1001
    list_price = np.array([f.price for f in fam])
    price = np.round(list_price * rng.lognormal(0.0, 0.25, n_skus), 2)
    catalogue = pd.DataFrame(
        {
            "sku": [f"{f.prefix}-{n}" for f, n in zip(fam, number, strict=True)],
            "family": [f.name for f in fam],
            "family_index": family,
            "kind": kind,
            "unit_price": price,
            "unit_cost": np.round(price * rng.uniform(0.55, 0.78, n_skus), 2),
            "uom": ["SET" if f.prefix == "AC" else "PCS" for f in fam],
            "lead_time_months": rng.choice([0, 1, 2], size=n_skus, p=[0.6, 0.3, 0.1]),
            # cheaper products sell more units
            "level": rng.lognormal(np.log(60.0), 0.9, n_skus) * (250.0 / list_price) ** 0.4,
            "trend": np.clip(rng.normal(0.03, 0.08, n_skus), -0.2, 0.25),
            "p_order": rng.uniform(0.15, 0.4, n_skus),
        }
    )
    catalogue["description"] = _descriptions(rng, fam, number, kind)
    # products are phased out because they were already losing ground
    phase_out = kind == "phase_out"
    catalogue.loc[phase_out, "trend"] = rng.uniform(-0.25, -0.1, int(phase_out.sum()))
    intermittent = kind == "intermittent"
    catalogue.loc[intermittent, "level"] = rng.uniform(1.5, 6.0, int(intermittent.sum()))
    return _with_life_cycle(rng, catalogue, last_cycle)


def _kinds(n_skus: int) -> np.ndarray:
    """About 12 % intermittent, a few new and phase-out SKUs, the rest regular."""
    n_intermittent = max(1, round(0.12 * n_skus))
    n_new = max(2, round(0.04 * n_skus))
    n_phase_out = max(2, round(0.03 * n_skus))
    n_regular = n_skus - n_intermittent - n_new - n_phase_out
    counts = {"regular": n_regular, "intermittent": n_intermittent, "new": n_new}
    return np.repeat([*counts, "phase_out"], [*counts.values(), n_phase_out])


def _descriptions(
    rng: np.random.Generator, fam: list[Family], number: np.ndarray, kind: np.ndarray
) -> list[str]:
    """English item texts, and Chinese ones for about a third of the SKUs."""
    variant = rng.integers(0, len(VARIANTS), len(fam))
    chinese = rng.random(len(fam)) < 0.35
    # one established SKU at least, so that every drop's item master needs GBK or UTF-8
    chinese[np.argmax(kind == "regular")] = True
    return [
        f"{f.chinese} {VARIANTS_CN[v]} {n}" if cn else f"{f.label} {VARIANTS[v]} {n}"
        for f, v, cn, n in zip(fam, variant, chinese, number, strict=True)
    ]


def _with_life_cycle(rng: np.random.Generator, catalogue: pd.DataFrame, last: int) -> pd.DataFrame:
    """Launch and end months: established SKUs launched years ago, new ones within the last
    eight months (the first one only after the newest cycle, so it has no history), phase-out
    ones ending within six months of the start of the newest cycle."""
    n_skus = len(catalogue)
    kind = catalogue["kind"].to_numpy()
    launch = last - rng.integers(40, 120, n_skus)
    new = np.flatnonzero(kind == "new")
    launch[new] = last - rng.integers(1, NEW_STATUS_MONTHS + 1, len(new))
    launch[new[0]] = last + rng.integers(1, 5)
    end = np.where(kind == "phase_out", last + rng.integers(1, 6, n_skus), -1)
    # ERP item masters are patchy: many old SKUs carry no launch date at all
    launch_known = (kind == "new") | (rng.random(n_skus) < 0.75)
    return catalogue.assign(launch=launch, end=end, launch_known=launch_known)


def items_at(catalogue: pd.DataFrame, cycle: int) -> pd.DataFrame:
    """The `items` export of a cycle's drop, one row per SKU in the item master at the end of
    the month before: status, launch and end dates as the ERP shows them then."""
    visible = catalogue[catalogue["launch"] - MASTER_DATA_LEAD <= cycle]
    kind, launch, end = visible["kind"], visible["launch"], visible["end"]
    is_new = (kind == "new") & (cycle <= launch + NEW_STATUS_MONTHS)
    is_out = (kind == "phase_out") & (cycle >= end - PHASE_OUT_NOTICE)
    status = np.where(is_new, "new", np.where(is_out, "phase_out", "active"))
    launch_date = np.where(visible["launch_known"], iso_dates(launch, 1), "")
    end_date = np.where(is_out, month_ends(end.clip(lower=0)), "")
    return pd.DataFrame(
        {
            "sku": visible["sku"],
            "description": visible["description"],
            "family": visible["family"],
            "uom": visible["uom"],
            "unit_cost": visible["unit_cost"],
            "unit_price": visible["unit_price"],
            "status": status,
            "launch_date": launch_date,
            "end_date": end_date,
            "lead_time_months": visible["lead_time_months"],
        }
    ).reset_index(drop=True)


def build_customers(rng: np.random.Generator) -> pd.DataFrame:
    """The customers (retail chains and distributors), one row per customer: id, region, and
    the discount off list price it gets on every shipment."""
    per_region = rng.integers(3, 6, len(REGIONS))
    region = np.repeat(REGIONS, per_region)
    number = np.concatenate([np.arange(1, n + 1) for n in per_region])
    return pd.DataFrame(
        {
            "customer_id": [f"C{r[0]}{n:03d}" for r, n in zip(region, number, strict=True)],
            "region": region,
            "discount": np.round(rng.uniform(0.0, 0.08, len(region)), 3),
        }
    )
