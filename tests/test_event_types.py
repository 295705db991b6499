"""The event-type table and the lexicon's validation against it."""

from __future__ import annotations

import pytest

from dateline.coding.lexicon import Lexicon, LexiconError
from dateline.event_types import EventTypeError, event_types, get, parse_table
from dateline.model import EVENT_TYPES, QUAD_CLASS

HEADER = ("type\tquad\tkind\tcameo_roots\tdefault_cameo\tplanned_cameo\treject_cameo\t"
          "reject_mode\tenacted_by_announcing\tlocated\tdescription\n")


def test_packaged_table_has_the_sixteen_plover_types():
    table = event_types()
    assert len(table) == 16
    assert tuple(table) == EVENT_TYPES
    assert QUAD_CLASS["ASSAULT"] == 4 and QUAD_CLASS["AGREE"] == 1
    assert {t.kind for t in table.values()} == {"verbal", "material"}
    for t in table.values():
        assert t.cameo_ok(t.default_cameo)
    assert get("CONSULT").planned_cameo == "036"
    assert get("AGREE").reject_cameo == "127"
    assert get("SANCTION").enacted_by_announcing and not get("CONSULT").enacted_by_announcing


def test_cameo_roots_decide_membership():
    assault = get("ASSAULT")
    assert assault.cameo_ok("1951") and assault.cameo_ok("183") and assault.cameo_ok("")
    assert not assault.cameo_ok("173") and not assault.cameo_ok("19x")


def test_unknown_type_lookup_names_the_known_ones():
    with pytest.raises(EventTypeError, match="CONTAIN.*known: AGREE"):
        get("CONTAIN")


@pytest.mark.parametrize("row, message", [
    ("FIGHT\t5\tmaterial\t19\t190\t\t\t\tno\tyes\tx\n", r"table\.tsv:2: quad must be 1-4"),
    ("FIGHT\t4\tphysical\t19\t190\t\t\t\tno\tyes\tx\n", r"table\.tsv:2: kind must be"),
    ("FIGHT\t4\tmaterial\tnineteen\t190\t\t\t\tno\tyes\tx\n", r"table\.tsv:2: cameo_roots"),
    ("FIGHT\t4\tmaterial\t19\t173\t\t\t\tno\tyes\tx\n", r"table\.tsv:2: default_cameo 173"),
    ("FIGHT\tfour\tmaterial\t19\t190\t\t\t\tno\tyes\tx\n", r"table\.tsv:2: malformed row"),
])
def test_bad_table_rows_name_file_and_line(row, message):
    with pytest.raises(EventTypeError, match=message):
        parse_table(HEADER + row, "table.tsv")


def test_a_duplicate_type_is_refused():
    row = "REJECT\t3\tverbal\t12\t120\t\t\t\tyes\tno\tx\n"
    with pytest.raises(EventTypeError, match="listed twice"):
        parse_table(HEADER + row + row, "t.tsv")


TRIGGER_HEADER = "trigger\tpos\tobject\tevent_type\tcameo\tmode\tflags\tconfidence\n"


def _user_dict(tmp_path, rows: str):
    folder = tmp_path / "dicts"
    folder.mkdir()
    (folder / "triggers.tsv").write_text(TRIGGER_HEADER + "# a comment\n" + rows,
                                         encoding="utf-8")
    return folder


def test_unknown_type_in_a_user_row_is_a_load_error_naming_file_and_line(tmp_path):
    folder = _user_dict(tmp_path, "contain\tverb\t\tCONTAIN\t17\t\t\t0.5\n")
    with pytest.raises(LexiconError, match=r"triggers\.tsv:3: contain: unknown event type 'CONTAIN'"):
        Lexicon.load([folder])


def test_cameo_code_outside_the_type_is_a_load_error(tmp_path):
    folder = _user_dict(tmp_path, "\n".join([
        "hug\tverb\t\tSUPPORT\t051\t\t\t0.5",
        "besiege\tverb\t\tASSAULT\t173\t\t\t0.5", ""]))
    with pytest.raises(LexiconError, match=r"triggers\.tsv:4: besiege: CAMEO code '173'"):
        Lexicon.load([folder])


@pytest.mark.parametrize("row, message", [
    ("hug\tadverb\t\tSUPPORT\t051\t\t\t0.5\n", "pos must be verb or noun"),
    ("hug\tverb\t\tSUPPORT\t051\t\tshiny\t0.5\n", "unknown flags"),
    ("hug\tverb\t\tSUPPORT\t051\t\t\tsure\n", "confidence must be a number"),
    ("hug\tverb\t\tSUPPORT\t051\t\t\t1.5\n", "confidence must be within 0-1"),
    ("hug\tverb\tFRIENDS\tSUPPORT\t051\t\t\t0.5\n", "unknown object class 'FRIENDS'"),
])
def test_other_bad_trigger_rows(tmp_path, row, message):
    with pytest.raises(LexiconError, match=r"triggers\.tsv:3: hug: " + message):
        Lexicon.load([_user_dict(tmp_path, row)])


def test_a_valid_user_row_loads(tmp_path):
    lex = Lexicon.load([_user_dict(tmp_path, "hug\tverb\t\tSUPPORT\t051\t\t\t0.5\n")])
    assert [r.event_type for r in lex.rules[("hug", "verb")]] == ["SUPPORT"]
