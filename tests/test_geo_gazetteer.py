"""Gazetteer: loading, candidates, resolution with focus and evidence, countries, focus."""

from __future__ import annotations

from pathlib import Path

import pytest
from geo_fixtures import SYRIA, gaz  # noqa: F401

from dateline.gazetteer import FOCUS_MEMO_SIZE, Gazetteer

ALEPPO_ARTICLE = Path(__file__).resolve().parents[1] / "examples" / "aleppo-2016-12-07.txt"


def test_load_holds_cities_regions_and_countries(gaz):
    feats = {gaz.index.feature[s] for s in range(len(gaz))}
    assert feats == {0, 1, 2}
    assert len(gaz) > 230_000
    assert len(gaz.index.country_slot) >= 250


@pytest.mark.parametrize("name, focus, country, feature", [
    ("Aleppo", SYRIA, "SYR", "city"),
    ("Aleppo", (), "SYR", "city"),            # by population
    ("Idlib", SYRIA, "SYR", "city"),          # city before the governorate of the same name
    ("Mosul", (), "IRQ", "city"),
    ("Khan Sheikhoun", SYRIA, "SYR", "city"),
    ("Saraqeb", SYRIA, "SYR", "city"),        # phonetic fallback, focus country
    ("Dayr az Zawr", SYRIA, "SYR", "city"),
    ("Raqqa", (), "SYR", "city"),
    ("Anbar", (), "IRQ", "admin1"),           # a region without a city of its name
    ("Gujarat", (), "IND", "admin1"),
    ("Donetsk Oblast", (), "UKR", "admin1"),
    ("Paris", (), "FRA", "city"),
    ("Madaya", SYRIA, "SYR", "city"),         # focus beats a bigger foreign namesake
    ("Syria", (), "SYR", "country"),
    ("the United States", (), "USA", "country"),
    ("Ivory Coast", (), "CIV", "country"),
])
def test_resolve(gaz, name, focus, country, feature):
    place = gaz.resolve(name, focus=focus)
    assert place is not None, name
    assert (place.country, place.feature) == (country, feature)
    assert place.text == name and place.lat is not None and place.lon is not None


def test_resolved_city_has_admin1_and_geonameid(gaz):
    p = gaz.resolve("Aleppo", focus=SYRIA)
    assert p.admin1 == "Aleppo" and p.geonameid == 170063
    assert abs(p.lat - 36.2) < 0.2 and abs(p.lon - 37.16) < 0.2


def test_region_wins_when_asked(gaz):
    assert gaz.resolve("Idlib", focus=SYRIA, prefer="admin1").feature == "admin1"


@pytest.mark.parametrize("word", ["Of", "Police", "Army", "Monday", "Said", "Will", "May",
                                  "Syrian", "Shelling", "Government", "March", "Nice"])
def test_common_words_do_not_resolve(gaz, word):
    assert gaz.resolve(word) is None
    assert gaz.resolve(word, focus=SYRIA) is None


def test_big_stop_listed_place_needs_a_cue(gaz):
    assert gaz.resolve("Nice") is None
    assert gaz.resolve("Nice", cue=True).country == "FRA"  # "in Nice"


def test_small_places_need_focus_or_cue(gaz):
    # Sarmin (Idlib) has fewer than 15,000 people in GeoNames
    assert gaz.population(gaz.resolve("Sarmin", focus=SYRIA)) < 15_000
    assert gaz.resolve("Sarmin") is None
    assert gaz.resolve("Sarmin", cue=True).country == "SYR"
    assert gaz.resolve("sarmin", cue=True) is None  # a lower-case surface is no evidence


def test_candidates_lists_every_namesake(gaz):
    cands = gaz.candidates("Paris")
    countries = {c.country for c in cands}
    assert {"FRA", "USA"} <= countries
    assert cands[0].country == "FRA"  # most populous first
    assert all(c.feature in ("city", "admin1", "country") for c in cands)
    assert gaz.candidates("Qqqxzv") == []


@pytest.mark.parametrize("name, iso", [
    ("the United States", "USA"), ("United States", "USA"), ("US", "USA"), ("U.S.", "USA"),
    ("Britain", "GBR"), ("UK", "GBR"), ("Syria", "SYR"), ("Ivory Coast", "CIV"),
    ("Côte d'Ivoire", "CIV"), ("Syrian", "SYR"), ("Iraqis", "IRQ"), ("Russian Federation", "RUS"),
    ("the Netherlands", "NLD"), ("DRC", "COD"), ("Burma", "MMR"),
])
def test_country(gaz, name, iso):
    assert gaz.country(name) == iso


@pytest.mark.parametrize("name", ["us", "the", "Aleppo", "", "car"])
def test_not_a_country(gaz, name):
    assert gaz.country(name) is None


def test_focus_of_the_example_article(gaz):
    focus = gaz.focus(ALEPPO_ARTICLE.read_text(encoding="utf-8"))
    assert focus[0] == "SYR"
    assert {"RUS", "USA"} <= set(focus[:4])


def test_focus_extra_and_lower_case(gaz):
    assert gaz.focus("nothing here", extra=["IRQ"]) == ["IRQ"]
    text = "the police fired in ahmedabad and vadodara as riots spread across gujarat."
    assert gaz.focus(text)[0] == "IND"


@pytest.fixture(scope="module")
def small_built(tmp_path_factory):
    """The GeoNames 15000 table's gazetteer, built without a cache (once), and the cache dir
    that build wrote."""
    folder = tmp_path_factory.mktemp("gazcache")
    assert not list(folder.iterdir())
    return Gazetteer.load(min_population=15000, cache_dir=folder), folder


@pytest.fixture(scope="module")
def small_cache(small_built):
    return small_built[1]


def test_extra_place_file(tmp_path, gaz, small_cache):
    f = tmp_path / "geo_places.tsv"
    f.write_text("name\taliases\tcountry\tadmin1\tfeature\tlat\tlon\tpopulation\n"
                 "Qaryat Zzyzx\tZzyzx Village\tSYR\tIdlib\tcity\t35.9\t36.6\t20000\n",
                 encoding="utf-8")
    (tmp_path / "geo_stopwords.tsv").write_text("word\tclass\nmosul\ttest\n", encoding="utf-8")
    (tmp_path / "actors.tsv").write_text("name\tcode\nSomeone\tX\n", encoding="utf-8")
    g = Gazetteer(gaz.index, gaz.stopwords, gaz.words)  # no I/O in the constructor
    assert g.resolve("Zzyzx Village") is None
    small = Gazetteer.load(min_population=15000, extra_files=[tmp_path], cache_dir=small_cache)
    p = small.resolve("Zzyzx Village", focus=SYRIA)
    assert p.name == "Qaryat Zzyzx" and p.admin1 == "Idlib" and p.geonameid is None
    assert small.resolve("Mosul") is None  # the user's stop list
    # a place file given by name, whatever it is called
    named = tmp_path / "mine.tsv"
    named.write_text(f.read_text(encoding="utf-8"), encoding="utf-8")
    other = Gazetteer.load(min_population=15000, extra_files=[named, tmp_path / "actors.tsv"],
                           cache_dir=small_cache)
    assert other.resolve("Zzyzx Village", focus=SYRIA).country == "SYR"
    assert other.resolve("Mosul").country == "IRQ"


def test_bad_extra_file_is_reported(tmp_path, small_cache):
    f = tmp_path / "geo_places.tsv"
    f.write_text("name\tcountry\tfeature\nX\tSYRIA\tcity\n", encoding="utf-8")
    with pytest.raises(ValueError, match="geo_places.tsv:2"):
        Gazetteer.load(min_population=15000, extra_files=[f], cache_dir=small_cache)


def test_built_and_cached_index_agree(small_built):
    built, folder = small_built
    assert len(list(folder.glob("gazetteer-*.pickle"))) == 1
    cached = Gazetteer.load(min_population=15000, cache_dir=folder)
    assert len(built) == len(cached) < 60_000
    for name in ("Aleppo", "Mosul", "Donetsk", "Lucknow", "Syria", "Anbar", "Idlib province"):
        assert built.resolve(name) == cached.resolve(name)


def test_near_breaks_ties_between_namesakes(gaz):
    dallas = gaz.resolve("Dallas")
    assert dallas.country == "USA"
    assert gaz.resolve("Paris").country == "FRA"
    paris_tx = gaz.resolve("Paris", near=dallas)
    assert (paris_tx.country, paris_tx.admin1) == ("USA", "Texas")


@pytest.mark.parametrize("text, first", [
    ("the delegation flew from south africa to the united states for talks", "ZAF"),
    ("talks in the united arab emirates ended without a deal", "ARE"),
    ("Talks in Abu Dhabi and New Delhi ended without a deal.", "ARE"),
])
def test_focus_finds_names_of_several_words(gaz, text, first):
    """Only words that begin some name of several words are tried as the start of one
    (a speed-up): such names are still found, in lower-case text too."""
    assert gaz.focus(text)[0] == first


def test_focus_lookups_are_remembered_and_bounded(gaz):
    gaz.focus("riots in ahmedabad and vadodara")
    assert 0 < len(gaz._focus_memo) <= FOCUS_MEMO_SIZE
