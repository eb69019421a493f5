"""The demo company as one consistent world: the book conserves units every month (stock and
customer orders), the plant never makes more than its hours allow, and every drop shows what
the book holds at the end of the month before (stock, backlog, shipments, production)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sop_pipeline.demo.company import World, build_company, drop_frames, start_world
from sop_pipeline.demo.market import deal_orders
from sop_pipeline.demo.months import month_ordinal
from sop_pipeline.demo.plant import Plant, execute
from sop_pipeline.demo.world import BACKORDER_SHARE, book_month, new_ledger

LAST = month_ordinal("2026-11")


@pytest.fixture(scope="module")
def world() -> World:
    company = build_company(seed=5, last_cycle=LAST, months=24, n_skus=40)
    booked = start_world(company)
    booked.run_house_planning(until=LAST)
    return booked


def test_stock_is_conserved_every_month_per_sku(world: World) -> None:
    book = world.ledger
    done = slice(0, book.simulated)
    shipped = book.shipped.sum(axis=1)
    balance = book.opening + book.arrivals - shipped - book.closing
    assert np.abs(balance[:, done]).max() == 0.0
    assert (book.closing[:, done] >= 0).all()
    assert np.array_equal(
        book.opening[:, 1 : book.simulated], book.closing[:, : book.simulated - 1]
    )


def test_orders_are_shipped_wait_as_backlog_or_are_lost(world: World) -> None:
    book = world.ledger
    n = book.simulated
    previous = np.concatenate([np.zeros(book.backlog.shape[:2] + (1,)), book.backlog], axis=2)
    change = book.backlog[:, :, :n] - previous[:, :, :n]
    residual = book.orders[:, :, :n] - (book.shipped[:, :, :n] + change + book.lost[:, :, :n])
    assert np.abs(residual).max() == 0.0
    for array in (book.on_time, book.late, book.backlog, book.lost):
        assert (array[:, :, :n] >= 0).all()
    assert (book.late[:, :, 1:n] <= previous[:, :, 1:n]).all()  # late = last month's backlog
    assert book.lost[:, :, :n].sum() > 0 and book.backlog[:, :, :n].sum() > 0


def test_production_arrives_after_the_items_lead_time(world: World) -> None:
    book = world.ledger
    n = book.simulated
    for sku in range(len(book.lead)):
        lead = int(book.lead[sku])
        assert np.array_equal(book.arrivals[sku, lead:n], book.made[sku, : n - lead])
        assert (book.arrivals[sku, :lead] == 0).all()
    assert set(book.lead) >= {0, 1}


def test_the_plant_never_exceeds_its_hours_plus_overtime(world: World) -> None:
    book, plant = world.ledger, world.company.plant
    n = book.simulated
    load = plant.hours @ book.made[:, :n]
    worked = plant.available[:, :n] * plant.efficiency[:, :n]
    assert (load <= worked + book.overtime[:, :n] + 1e-6).all()
    assert (book.overtime[:, :n] <= plant.max_overtime[:, :n] + 1e-9).all()
    assert (book.made[:, :n] <= book.starts[:, :n]).all()


def test_a_short_resource_cuts_every_sku_it_loads_by_the_same_share() -> None:
    # hand case: 10 h plus 2 h overtime, two SKUs wanting 8 h and 8 h -> 12/16 of each
    plant = Plant(
        hours=np.array([[1.0, 2.0]]),
        available=np.array([[10.0]]),
        max_overtime=np.array([[2.0]]),
        overtime_cost=np.array([[50.0]]),
        efficiency=np.array([[1.0]]),
    )
    made, overtime = execute(plant, np.array([8.0, 4.0]), 0)
    assert made.tolist() == [6.0, 3.0]
    assert overtime.tolist() == [2.0]
    made, overtime = execute(plant, np.array([5.0, 2.0]), 0)
    assert made.tolist() == [5.0, 2.0] and overtime.tolist() == [0.0]


def test_shipments_serve_the_backlog_first_then_split_short_stock_by_region() -> None:
    # one SKU, lead time 0, 10 in stock; month 0: orders 6 + 9 -> 4 + 6 shipped, 5 unserved
    orders = np.array([[[6, 0], [9, 4]]])
    book = new_ledger(orders, np.array([0]), np.array([10.0]), 1)
    idle = Plant(
        np.zeros((1, 1)), np.ones((1, 2)), np.zeros((1, 2)), np.ones((1, 2)), np.ones((1, 2))
    )
    book_month(book, idle, np.array([0.0]))
    assert book.on_time[0, :, 0].tolist() == [4.0, 6.0]
    assert book.backlog[0, :, 0].tolist() == [
        np.floor(2 * BACKORDER_SHARE),
        np.floor(3 * BACKORDER_SHARE),
    ]
    book_month(book, idle, np.array([3.0]))  # 3 made and shipped: backlog (1 + 1) first
    assert book.late[0, :, 1].tolist() == [1.0, 1.0]
    assert book.on_time[0, :, 1].tolist() == [0.0, 1.0]
    assert book.closing[0, 1] == 0.0


def test_a_drop_shows_the_book_at_the_end_of_the_month_before(world: World) -> None:
    company, book = world.company, world.ledger
    cycle = LAST
    t = company.index(cycle - 1)
    frames = drop_frames(world, cycle, full=True, poisoned=False)
    skus = company.catalogue["sku"]
    on_hand = frames["inventory"].groupby("sku")["on_hand"].sum()
    assert np.allclose(on_hand.reindex(skus).fillna(0.0), book.closing[:, t])
    backlog = frames["open_orders"].groupby("sku")["quantity"].sum()
    assert np.allclose(backlog.reindex(skus).fillna(0.0), book.backlog[:, :, t].sum(axis=1))
    sales = frames["sales_history"].assign(month=lambda f: f["ship_date"].str[:7])
    shipped = sales.groupby(["month", "sku"])["quantity"].sum()
    for month in (cycle - 12, cycle - 3):  # lines corrected by then: the shipments exactly
        label = str(np.datetime64(month, "M"))
        assert np.allclose(
            shipped.loc[label].reindex(skus).fillna(0.0),
            book.shipped[:, :, company.index(month)].sum(axis=1),
        )


def test_production_orders_are_the_plants_execution(world: World) -> None:
    company, book = world.company, world.ledger
    cycle = LAST
    orders = drop_frames(world, cycle, full=False, poisoned=False)["production_orders"]
    skus = company.catalogue["sku"]
    still_open = orders[orders["finish_date"] == ""]
    assert np.allclose(
        still_open.groupby("sku")["quantity"].sum().reindex(skus).fillna(0.0),
        book.in_transit(),
    )
    finished = orders[orders["finish_date"] != ""]
    last_month = finished[finished["finish_date"].str[:7] == str(np.datetime64(cycle - 1, "M"))]
    assert np.allclose(
        last_month.groupby("sku")["quantity"].sum().reindex(skus).fillna(0.0),
        book.arrivals[:, company.index(cycle - 1)],
    )
    assert (pd.to_datetime(finished["finish_date"]) >= pd.to_datetime(finished["start_date"])).all()


def test_crm_deals_land_with_their_probability_and_become_orders() -> None:
    company = build_company(seed=9, last_cycle=LAST, months=36, n_skus=400)
    deals = company.deals
    assert len(deals) > 400
    likely = deals["probability"] >= 0.5
    landed = deals.groupby(likely)["landed"].mean()
    assert np.allclose(landed, deals.groupby(likely)["probability"].mean(), atol=0.08)
    assert landed[True] > landed[False] + 0.3
    extra = deal_orders(deals, company.catalogue, company.expected, int(company.timeline[0]))
    by_sku = deals[deals["landed"] & (deals["sku"] != "")]["quantity"].sum()
    by_family = deals[deals["landed"] & (deals["family"] != "")]["quantity"].sum()
    assert by_sku < extra.sum() <= by_sku + by_family  # family deals land in whole units


@pytest.mark.parametrize(
    ("month", "asked"),
    [("2026-04", True), ("2026-08", True), ("2026-11", False), ("2027-01", False)],
)
def test_hot_summer_is_asked_only_when_planning_the_summer(
    month: str, asked: bool, world: World
) -> None:
    from sop_pipeline.demo.plans import scenarios

    names = set(scenarios(month_ordinal(month))["scenario"])
    assert ("hot_summer" in names) is asked
    assert "demand_plus_10" in names
