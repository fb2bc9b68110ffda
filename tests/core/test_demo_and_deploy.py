from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from clipcontest.audit.models import AuditEvent
from clipcontest.contests.models import Contest
from clipcontest.demo.loader import CONTEST_2023, load_demo
from clipcontest.org.models import Team, Unit

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, ...]:
    return (
        Unit.objects.count(),
        Team.objects.count(),
        Contest.objects.count(),
        AuditEvent.objects.count(),
    )


def test_demo_reproduces_2023_structure_and_is_idempotent():
    result = load_demo()
    first = counts()
    load_demo()
    assert counts() == first
    contest = Contest.objects.get(slug=CONTEST_2023)
    assert result.contest == contest
    districts = Unit.objects.filter(hierarchy__slug="quang-ngai-2023", depth=1)
    assert districts.count() == 13
    teams = [team for team, _title in result.teams]
    assert len(teams) == 21
    district_codes = {t.unit.ancestor_codes[1] for t in teams}
    assert len(district_codes) == 12
    assert "536" not in district_codes  # Lý Sơn forwarded nothing in 2023
    assert sorted(title for team, title in result.teams if not team.is_demo) == sorted(
        [
            "Có Chú Minh đây rồi",
            "Tổ công nghệ số cộng đồng xã Đức Phong năng động, sáng tạo",
            "Cầu nối đưa chuyển đổi số đến từng người dân",
            "Xã Nghĩa Điền hoàn thành chi trả trợ cấp xã hội không dùng tiền mặt",
        ]
    )
    assert [str(p) for p in result.next_contest.phases.order_by("starts_at")] == [
        "submission",
        "screening: xã",
        "screening: tỉnh",
        "public voting",
        "judging",
        "results",
    ]


def test_demo_command_load_only_prints_logins(capsys):
    call_command("demo", "--load-only")
    out = capsys.readouterr().out
    assert "bantochuc" in out
    assert "dieuphoi.tunghia" in out
    assert "clipcontest-demo" in out


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "clipcontest.settings.production",
        "CLIPCONTEST_DATA_DIR": str(tmp_path),
        "CLIPCONTEST_ALLOWED_HOSTS": "contest.example.vn",
    }
    run = subprocess.run(
        [sys.executable, "-m", "clipcontest", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout
