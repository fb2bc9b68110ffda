import pytest

from clipcontest.core.envfile import parse_env_file, read_env_file


def test_parse_env_file_reads_pairs_skipping_comments_and_quotes():
    text = '# comment\n\nDATABASE_URL=postgres://x/y\nCLIPCONTEST_BIND = "0.0.0.0:8000"\nA=\n'
    assert parse_env_file(text) == {
        "DATABASE_URL": "postgres://x/y",
        "CLIPCONTEST_BIND": "0.0.0.0:8000",
        "A": "",
    }


def test_parse_env_file_refuses_a_line_without_equals():
    with pytest.raises(ValueError) as error:
        parse_env_file("A=1\nexport B\n")
    assert str(error.value) == "line 2: expected NAME=value, got 'export B'"


def test_read_env_file_is_empty_when_unset(monkeypatch):
    monkeypatch.delenv("CLIPCONTEST_ENV_FILE", raising=False)
    assert read_env_file() == {}


def test_read_env_file_reads_the_named_file(monkeypatch, tmp_path):
    path = tmp_path / "clipcontest.env"
    path.write_text("CLIPCONTEST_WEB_WORKERS=3\n")
    monkeypatch.setenv("CLIPCONTEST_ENV_FILE", str(path))
    assert read_env_file() == {"CLIPCONTEST_WEB_WORKERS": "3"}
