"""A small store for the analysis features (series, actor names, exports, compare, the
Python API): the hand-made WORLD of ``query_fixtures`` plus events of actors the coder
names by their dictionary name (Islamic State, Vishwa Hindu Parishad), a country-level and
a region-level event, and an event with casualties on several days."""

from __future__ import annotations

from pathlib import Path

from dateline.model import ActorRef, Place
from dateline.store import Store
from query_fixtures import ALEPPO, SYRCVL, SYRMIL, WORLD, Spec, add_specs, place

ISIS = ActorRef(text="ISIS", name="Islamic State", code="IMGMUSISI", sector="INS")
DAESH = ActorRef(text="Daesh fighters", name="Islamic State", code="IMGMUSISI", sector="INS")
VHP = ActorRef(text="VHP", name="Vishwa Hindu Parishad", code="INDREL", country="IND",
               sector="REL")
MOSUL = place("Mosul", "IRQ", 36.335, 43.11889, "Nineveh")
SYRIA = Place(text="Syria", name="Syria", country="SYR", lat=35.0, lon=38.0, feature="country")
ALEPPO_GOV = Place(text="Aleppo Governorate", name="Aleppo", country="SYR", admin1="Aleppo",
                   lat=36.2, lon=37.5, feature="admin1")
AHMEDABAD = place("Ahmedabad", "IND", 23.02579, 72.58727, "Gujarat")

EXTRA: list[Spec] = [
    Spec("isis_mosul", "ASSAULT", "190", [ISIS], [SYRCVL], "2016-12-02", MOSUL,
         ["ISIS fighters attacked civilians in Mosul, killing 7."], ["Reuters"],
         size={"dead": 7, "injured": 3}),
    Spec("daesh_aleppo", "ASSAULT", "190", [DAESH], [SYRMIL], "2016-12-09", ALEPPO,
         ["Daesh fighters attacked army positions near Aleppo, killing 4 soldiers."],
         ["AFP", "BBC"], size={"dead": 4}),
    Spec("vhp_rally", "PROTEST", "141", [VHP], [], "2002-03-02", AHMEDABAD,
         ["VHP activists rallied in Ahmedabad."], ["Times of India"], mode="demonstrate"),
    Spec("syria_country", "ASSAULT", "190", [SYRMIL], [SYRCVL], "2016-12-03", SYRIA,
         ["Government forces killed 20 civilians across Syria."], ["SANA"],
         size={"dead": 20}),
    Spec("aleppo_region", "COERCE", "173", [SYRMIL], [SYRCVL], "2016-12-04", ALEPPO_GOV,
         ["Troops arrested 15 people in Aleppo province."], ["AFP"], mode="arrest",
         size={"arrested": 15}),
]


def build_analysis_store(path: str | Path) -> Store:
    store = Store.open(path)
    add_specs(store, WORLD + EXTRA, prefix="an")
    return store
