"""Actor dictionaries: the packaged data, dates of office, and users' own files."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from importlib import resources

import pycountry
import pytest
from actors_fixtures import dictionary, finder, one, spans  # noqa: F401

from dateline.coding.actor_dict import SECTORS
from dateline.coding.actors import ActorDictionary, ActorFinder

DATA = resources.files("dateline.data")
# pycountry entries that are not UN members (nor Palestine, Taiwan, the Holy See): left out
TERRITORIES = set(
    "ABW AIA ALA ASM ATA ATF BES BLM BMU BVT CCK COK CUW CXR CYM FLK FRO GGY GIB GLP GUF GUM "
    "HMD IMN IOT JEY MAF MNP MSR MTQ MYT NCL NFK NIU PCN PYF REU SGS SHN SJM SPM SXM TCA TKL "
    "UMI VGB VIR WLF".split())
REQUIRED = ("USA RUS CHN GBR FRA DEU SYR IRQ IRN ISR PSE TUR SAU EGY UKR IND PAK AFG PRK KOR "
            "JPN").split()


HISTORIC = {"SUN", "YUG", "CSK", "DDR"}  # states of the past, for older news


def rows(name: str) -> list[dict]:
    lines = [ln for ln in DATA.joinpath(name).read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


def test_every_country_is_listed():
    isos = {r["iso3"] for r in rows("countries.tsv")}
    missing = {c.alpha_3 for c in pycountry.countries} - isos - TERRITORIES
    assert not missing
    assert {"PSE", "XKX", "TWN", "VAT"} <= isos
    assert len(isos - {"HKG", "MAC", "PRI", "GRL", "ESH", "PSE", "XKX", "TWN", "VAT"}
               - HISTORIC) == 193


def test_countries_have_adjectives_and_capitals():
    for r in rows("countries.tsv"):
        # "Congolese" and "Dominican" go to the larger namesake (COD, DOM) only
        assert r["adjectives"] or r["iso3"] in ("COG", "DMA"), r["iso3"]
        if r["iso3"] in REQUIRED:
            assert r["capitals"], r["iso3"]


@pytest.mark.parametrize("name", ["officeholders.tsv", "groups.tsv"])
def test_rows_are_valid(name):
    isos = {r["iso3"] for r in rows("countries.tsv")}
    for r in rows(name):
        assert r["country"] in isos or (not r["country"] and r["code"]), r
        assert not r["sector"] or r["sector"] in SECTORS, r
        start = date.fromisoformat(r["start"]) if r["start"] else None
        end = date.fromisoformat(r["end"]) if r["end"] else None
        assert not (start and end) or start <= end, r


def test_offices_do_not_overlap():
    """Two holders of the same office of the same country never overlap by more than a day."""
    core = {"President", "Prime Minister", "Foreign Minister", "Defence Minister",
            "Secretary of State", "Secretary of Defense", "Chancellor", "Foreign Secretary",
            "Defence Secretary", "External Affairs Minister",
            "Secretary-General of the United Nations",
            "Secretary General of NATO", "EU High Representative for foreign policy"}
    terms = defaultdict(list)
    for r in rows("officeholders.tsv"):
        if r["office"] in core:
            start = date.fromisoformat(r["start"])
            end = date.fromisoformat(r["end"]) if r["end"] else date(2100, 1, 1)
            terms[(r["country"] or r["code"], r["office"])].append((start, end, r["name"]))
    for key, spans_ in terms.items():
        spans_.sort()
        for (_s1, e1, n1), (s2, _e2, n2) in zip(spans_, spans_[1:]):
            if n1 != n2:
                assert (e1 - s2).days <= 1, (key, n1, n2)


@pytest.mark.parametrize("iso", REQUIRED)
def test_required_countries_have_leaders_every_year(dictionary, iso):
    people = [e for e in dictionary.entries if e.kind == "person"]
    for year in range(2000, 2026):
        day = date(year, 7, 1)
        if (iso, year) == ("IRQ", 2003):
            continue  # no Iraqi government between April 2003 and the Governing Council
        holders = [e.name for e in people for v in e.variants
                   if v.country == iso and v.sector == "GOV" and v.covers(day)]
        assert holders, (iso, year)


@pytest.mark.parametrize("phrase, day, code, name", [
    ("Kerry", date(2010, 5, 1), "USALEG", "John Kerry"),
    ("Kerry", date(2016, 5, 1), "USAGOV", "John Kerry"),
    ("Sharaa", date(2005, 5, 1), "SYRGOV", "Farouk al-Sharaa"),
    ("Sharaa", date(2025, 5, 1), "SYRGOV", "Ahmed al-Sharaa"),
    ("Julani", date(2016, 5, 1), "SYRINS", "Ahmed al-Sharaa"),
    ("Assad", date(1999, 5, 1), "SYRGOV", "Hafez al-Assad"),
    ("Assad", date(2016, 5, 1), "SYRGOV", "Bashar al-Assad"),
    ("Clinton", date(2000, 5, 1), "USAGOV", "Bill Clinton"),
    ("Clinton", date(2010, 5, 1), "USAGOV", "Hillary Clinton"),
    ("Haniyeh", date(2006, 6, 1), "PSEGOV", "Ismail Haniyeh"),
    ("Haniyeh", date(2020, 6, 1), "PSEINS", "Ismail Haniyeh"),
    ("Guterres", date(2010, 6, 1), "IGOUNOHCR", "António Guterres"),
    ("Guterres", date(2020, 6, 1), "IGOUNO", "António Guterres"),
    ("Taliban", date(2010, 6, 1), "AFGINS", "Taliban"),
    ("Taliban", date(2022, 6, 1), "AFGGOV", "Taliban"),
    ("HTS", date(2020, 6, 1), "SYRINS", "Hayat Tahrir al-Sham"),
    ("HTS", date(2025, 6, 1), "SYRGOV", "Hayat Tahrir al-Sham"),
    ("RSF", date(2020, 6, 1), "SDNMIL", "Rapid Support Forces"),
    ("RSF", date(2024, 6, 1), "SDNREB", "Rapid Support Forces"),
    ("President Trump", date(2018, 6, 1), "USAGOV", "Donald Trump"),
])
def test_identity_depends_on_the_date(finder, phrase, day, code, name):
    m = one(finder, phrase, on=day)
    assert (m.ref.code, m.ref.name) == (code, name)


def test_out_of_office_keeps_country(finder):
    m = one(finder, "Bashar al-Assad", on=date(2025, 6, 1))
    assert (m.ref.country, m.ref.sector, m.ref.code) == ("SYR", None, "SYR")
    assert "no listed office" in m.why
    m = one(finder, "former President Obama", on=date(2020, 6, 1))
    assert (m.ref.country, m.ref.sector) == ("USA", None)
    m = one(finder, "Ban Ki-moon", on=date(2020, 6, 1))
    assert m.ref.country == "KOR"


def test_no_date_means_current_office(finder):
    assert one(finder, "Lavrov", on=None).ref.code == "RUSGOV"
    assert one(finder, "Taliban", on=None).ref.code == "AFGGOV"


USER_GROUPS = (
    "name\taliases\tcountry\tsector\tcode\ttype\tstart\tend\n"
    "# Sahel actors\n"
    "Malian Armed Forces\tFAMa\tMLI\tMIL\t\tstate\t\t\n"
    "Wagner Group\tWagner\tRUS\tUAF\t\tarmed\t\t\n"
    "Katiba Macina\tMacina Liberation Front\tMLI\tINS\t\tarmed\t\t\n"
)


def test_user_file_adds_actors(tmp_path, dictionary):
    user = tmp_path / "sahel.tsv"
    user.write_text(USER_GROUPS, encoding="utf-8")
    plain = ActorFinder(dictionary)
    assert spans(plain, "Katiba Macina fighters attacked") == [("fighters", "REB")]
    finder = ActorFinder(ActorDictionary.load([user]))
    text = "FAMa soldiers and the Wagner Group fought Katiba Macina fighters near Mopti."
    got = {m.ref.text: m for m in finder.find(text, on=date(2022, 3, 1))}
    assert got["FAMa soldiers"].ref.code == "MLIMIL"
    assert got["Wagner Group"].ref.code == "RUSUAF"
    assert got["Katiba Macina fighters"].ref.code == "MLIINS"
    assert "sahel.tsv" in got["Katiba Macina fighters"].why
    assert "sahel.tsv" in got["FAMa soldiers"].why  # the user's row wins over the packaged one


def test_user_folder_with_other_files(tmp_path):
    (tmp_path / "triggers.tsv").write_text("trigger\tpos\tevent_type\nstorm\tverb\tASSAULT\n")
    (tmp_path / "geo_places.tsv").write_text(
        "name\taliases\tcountry\tadmin1\tfeature\tlat\tlon\tpopulation\n"
        "Mopti\t\tMLI\t\tcity\t14.5\t-4.2\t100000\n")
    (tmp_path / "geo_countries.tsv").write_text("iso3\taliases\tadjectives\nMLI\tMaliland\t\n")
    (tmp_path / "people.tsv").write_text(
        "name\taliases\tcountry\tsector\toffice\tstart\tend\tcode\n"
        "Amadou Example\tExample\tMLI\tGOV\tForeign Minister\t2021-06-11\t\t\n")
    (tmp_path / "words.tsv").write_text("phrase\tsector\trole\ngendarmes of the Sahel\tCOP\tnoun\n")
    d = ActorDictionary.load([tmp_path])
    assert [s for s in d.sources if "tmp" in s or str(tmp_path) in s] == [
        str(tmp_path / "people.tsv"), str(tmp_path / "words.tsv")]
    finder = ActorFinder(d)
    assert spans(finder, "Foreign Minister Amadou Example said", on=date(2022, 1, 1)) == [
        ("Foreign Minister Amadou Example", "MLIGOV")]
    assert spans(finder, "Mopti and Maliland") == []


@pytest.mark.parametrize("content, message", [
    ("name\taliases\tcountry\tsector\ttype\nX Front\t\tMLI\tREBELS\tarmed\n", "unknown sector"),
    ("name\taliases\tcountry\tsector\toffice\tstart\tend\n"
     "A B\t\tMLI\tGOV\tPM\t2021-13-01\t\n", "bad date"),
    ("phrase\tsector\trole\nblue helmets\tMIL\tnounish\n", "unknown role"),
])
def test_bad_user_rows_are_reported(tmp_path, content, message):
    path = tmp_path / "bad.tsv"
    path.write_text(content)
    with pytest.raises(ValueError, match=message) as err:
        ActorDictionary.load([path])
    assert "bad.tsv:2" in str(err.value)


def test_missing_user_path(tmp_path):
    with pytest.raises(FileNotFoundError):
        ActorDictionary.load([tmp_path / "nope.tsv"])


def test_readme_documents_the_files():
    readme = DATA.joinpath("README.md").read_text(encoding="utf-8")
    for name in ("countries.tsv", "officeholders.tsv", "groups.tsv", "sectors.tsv",
                 "person_titles.tsv"):
        assert f"## {name}" in readme, name


@pytest.mark.parametrize("phrase, day, code, name", [
    # a movement that was rebels, then a party of Sudan, then the ruling party of South Sudan
    ("SPLM", date(2000, 6, 1), "SDNREB", "Sudan People's Liberation Movement"),
    ("SPLM", date(2008, 6, 1), "SDNPTY", "Sudan People's Liberation Movement"),
    ("SPLM", date(2015, 6, 1), "SSDPTY", "Sudan People's Liberation Movement"),
    # FARC: guerrilla until the 2017 disarmament, then a party
    ("FARC", date(2010, 6, 1), "COLREB", "Revolutionary Armed Forces of Colombia"),
    ("FARC", date(2019, 6, 1), "COLPTY", "Revolutionary Armed Forces of Colombia"),
    # one person in IGO posts and a national government, by date
    ("Lagarde", date(2009, 6, 1), "FRAGOV", "Christine Lagarde"),
    ("Lagarde", date(2015, 6, 1), "IGOIMF", "Christine Lagarde"),
    ("Lagarde", date(2022, 6, 1), "IGOECB", "Christine Lagarde"),
    ("Sikorski", date(2010, 6, 1), "POLGOV", "Radosław Sikorski"),
    ("Guaidó", date(2020, 6, 1), "VENOPP", "Juan Guaidó"),
    ("Abu Ayyub al-Masri", date(2008, 6, 1), "IRQINS", "Abu Ayyub al-Masri"),
])
def test_new_rows_change_identity_by_date(finder, phrase, day, code, name):
    m = one(finder, phrase, on=day)
    assert (m.ref.code, m.ref.name) == (code, name)


@pytest.mark.parametrize("text, expected", [
    # same name in two countries: the country word decides, else the row order
    ("South Korea's Joint Chiefs of Staff said", [("South Korea's Joint Chiefs of Staff", "KORMIL")]),
    ("the Joint Chiefs of Staff said", [("Joint Chiefs of Staff", "USAMIL")]),
    ("Brazil's Workers' Party won", [("Brazil's Workers' Party", "BRAPTY")]),
    ("the Workers' Party said", [("Workers' Party", "PRKPTY")]),
    # regional IGOs have a code of their own and no country
    ("the G7 and the OAS condemned it", [("G7", "IGOG7"), ("OAS", "IGOOAS")]),
    ("ECOWAS, SADC and IGAD", [("ECOWAS", "IGOWAS"), ("SADC", "IGOSAD"), ("IGAD", "IGOIGD")]),
    # a rank word in a surname is no title when the person is known
    ("Foreign Minister Julie Bishop said", [("Foreign Minister Julie Bishop", "AUSGOV")]),
    ("Deputy Secretary of State Antony Blinken said",
     [("Deputy Secretary of State Antony Blinken", "USAGOV")]),
    # accords named after a capital are no actor; the capital alone still is
    ("the Oslo Accords collapsed", []),
    ("Paris condemned the strike", [("Paris", "FRAGOV")]),
])
def test_new_kinds_of_rows(finder, text, expected):
    assert spans(finder, text, on=date(2016, 6, 1)) == expected


def test_igo_rows_have_no_country():
    for r in rows("groups.tsv"):
        if r["type"] == "igo":
            assert not r["country"] and r["code"].startswith("IGO"), r
