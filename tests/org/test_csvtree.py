from __future__ import annotations

from clipcontest.org.csvtree import parse_units_csv

GOOD = """code,name,level,parent_code,kind
51,Tỉnh Quảng Ngãi,tỉnh,,tỉnh
528,Huyện Tư Nghĩa,huyện,51,huyện
21271,Xã Nghĩa Điền,xã,528,xã
534,Thị xã Đức Phổ,huyện,51,thị xã
"""


def test_parse_valid_tree_orders_parents_first_and_ranks_levels():
    parsed = parse_units_csv(GOOD)
    assert parsed.errors == []
    assert [r.code for r in parsed.rows] == ["51", "528", "534", "21271"]
    assert parsed.level_ranks == {"tỉnh": 0, "huyện": 1, "xã": 2}
    assert parsed.rows[2].kind == "thị xã"


def test_parse_accepts_child_before_parent():
    text = "code,name,level,parent_code\n21271,Xã A,xã,528\n528,Huyện B,huyện,51\n51,Tỉnh,tỉnh,\n"
    parsed = parse_units_csv(text)
    assert parsed.errors == []
    assert [r.code for r in parsed.rows] == ["51", "528", "21271"]


def test_parse_reports_every_bad_line_and_keeps_nothing():
    text = (
        "code,name,level,parent_code\n"
        "51,Tỉnh,tỉnh,\n"
        "51,Again,tỉnh,\n"
        "bad code,X,xã,51\n"
        "7,,xã,51\n"
        "8,Orphan,xã,999\n"
    )
    parsed = parse_units_csv(text)
    assert parsed.rows == []
    assert parsed.errors == [
        "Line 3: the code 51 is repeated (first on line 2).",
        "Line 4: the code 'bad code' may only hold letters, digits, '.', '_', '-' (1 to 32).",
        "Line 5: the name is empty.",
        "Line 6: the parent code 999 is neither in the file nor in the hierarchy.",
    ]


def test_parse_refuses_missing_columns():
    parsed = parse_units_csv("code,name\n1,A\n")
    assert parsed.errors == [
        "Line 1: missing columns: level, parent_code (expected code, name, level, parent_code)."
    ]


def test_parse_refuses_cycles():
    text = "code,name,level,parent_code\n1,A,xã,2\n2,B,xã,1\n"
    parsed = parse_units_csv(text)
    assert parsed.errors == [
        "Line 2: the parent 2 is part of a cycle.",
        "Line 3: the parent 1 is part of a cycle.",
    ]


def test_parse_refuses_level_at_two_depths():
    text = "code,name,level,parent_code\n1,A,tỉnh,\n2,B,xã,1\n3,C,xã,2\n"
    parsed = parse_units_csv(text)
    assert parsed.errors == ["Line 4: the level xã sits at depth 2 here but at depth 1 in line 3."]


def test_parse_extends_existing_tree():
    parsed = parse_units_csv(
        "code,name,level,parent_code\n9,Thôn 9,thôn,21271\n", existing={"21271": ("xã", 2)}
    )
    assert parsed.errors == []
    assert parsed.level_ranks == {"xã": 2, "thôn": 3}


def test_parse_refuses_code_already_in_hierarchy():
    parsed = parse_units_csv(
        "code,name,level,parent_code\n21271,X,xã,\n", existing={"21271": ("xã", 2)}
    )
    assert parsed.errors == ["Line 2: the code 21271 already exists in this hierarchy."]


def test_parse_refuses_empty_file():
    assert parse_units_csv("code,name,level,parent_code\n").errors == ["The file holds no units."]
