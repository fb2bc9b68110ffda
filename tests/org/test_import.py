from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from clipcontest.audit.models import AuditEvent
from clipcontest.core.errors import DomainError
from clipcontest.org.domain import import_units_csv, import_vietnam
from clipcontest.org.models import Hierarchy, Level, Unit

pytestmark = pytest.mark.django_db

CSV = """code,name,level,parent_code,kind
51,Tỉnh Quảng Ngãi,tỉnh,,tỉnh
528,Huyện Tư Nghĩa,huyện,51,huyện
21271,Xã Nghĩa Điền,xã,528,xã
21271.01,Thôn Thanh Hòa,thôn,21271,thôn
"""


def test_import_csv_builds_tree_with_paths_levels_and_audit():
    hierarchy = Hierarchy.objects.create(slug="qn", name="QN")
    assert import_units_csv(hierarchy=hierarchy, text=CSV) == 4
    village = Unit.objects.get(hierarchy=hierarchy, code="21271.01")
    assert village.path == "/51/528/21271/21271.01/"
    assert village.depth == 3
    assert village.parent.code == "21271"
    assert list(Level.objects.filter(hierarchy=hierarchy).values_list("name", "rank")) == [
        ("tỉnh", 0),
        ("huyện", 1),
        ("xã", 2),
        ("thôn", 3),
    ]
    district = Unit.objects.get(hierarchy=hierarchy, code="528")
    assert [u.code for u in Unit.objects.subtree_of(district)] == ["528", "21271", "21271.01"]
    assert AuditEvent.objects.filter(action="units.imported").count() == 1


def test_import_bad_csv_changes_nothing():
    hierarchy = Hierarchy.objects.create(slug="qn", name="QN")
    bad = CSV + "99,Orphan,xã,12345\n"
    with pytest.raises(DomainError) as exc:
        import_units_csv(hierarchy=hierarchy, text=bad)
    assert exc.value.messages == [
        "Line 6: the parent code 12345 is neither in the file nor in the hierarchy."
    ]
    assert Unit.objects.count() == 0
    assert Level.objects.count() == 0


def test_import_csv_extends_existing_hierarchy():
    hierarchy = Hierarchy.objects.create(slug="qn", name="QN")
    import_units_csv(hierarchy=hierarchy, text=CSV)
    import_units_csv(
        hierarchy=hierarchy, text="code,name,level,parent_code\n21271.02,Thôn B,thôn,21271\n"
    )
    assert Unit.objects.get(code="21271.02").path == "/51/528/21271/21271.02/"


def test_import_units_command_reports_bad_lines(tmp_path, capsys):
    path = tmp_path / "units.csv"
    path.write_text("code,name,level,parent_code\n1,,tỉnh,\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_units", str(path), "--hierarchy", "x")
    assert "Line 2: the name is empty." in capsys.readouterr().err
    assert Unit.objects.count() == 0


def test_import_vietnam_loads_34_provinces_and_3321_communes_once():
    hierarchy = import_vietnam()
    assert Unit.objects.filter(hierarchy=hierarchy, depth=0).count() == 34
    assert Unit.objects.filter(hierarchy=hierarchy, depth=1).count() == 3321
    import_vietnam()
    assert Unit.objects.filter(hierarchy=hierarchy).count() == 3355
    hanoi_ward = Unit.objects.get(hierarchy=hierarchy, name="Phường Hoàn Kiếm")
    assert hanoi_ward.parent.name == "Thành phố Hà Nội"
    assert hanoi_ward.level.name == "xã"
    assert hanoi_ward.kind == "phường"
