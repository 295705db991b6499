"""`dateline actor`: the command over the real dictionaries (typer CliRunner)."""

from __future__ import annotations

import json

from dateline.cli import app


def test_actor_text(runner):
    result = runner.invoke(app, ["actor", "Foreign Minister Sergei Lavrov accused Washington",
                                 "--date", "2016-12-07"])
    assert result.exit_code == 0, result.output
    assert "code=RUSGOV" in result.output and "code=USAGOV" in result.output
    assert "officeholders.tsv" in result.output and "capital" in result.output


def test_actor_json_and_date(runner):
    def code(day):
        result = runner.invoke(app, ["actor", "Kerry", "--date", day, "--json"])
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in result.output.splitlines()]
        assert len(rows) == 1 and rows[0]["kind"] == "person"
        return rows[0]["code"]

    assert code("2010-05-01") == "USALEG"
    assert code("2016-05-01") == "USAGOV"


def test_actor_generic_with_country(runner):
    result = runner.invoke(app, ["actor", "the army", "--country", "syr", "--json"])
    row = json.loads(result.output)
    assert (row["code"], row["generic"]) == ("SYRMIL", True)


def test_actor_user_dict(runner, tmp_path):
    user = tmp_path / "sahel.tsv"
    user.write_text("name\taliases\tcountry\tsector\tcode\ttype\tstart\tend\n"
                    "Katiba Macina\t\tMLI\tINS\t\tarmed\t\t\n", encoding="utf-8")
    assert runner.invoke(app, ["actor", "Katiba Macina"]).exit_code == 1
    result = runner.invoke(app, ["actor", "Katiba Macina", "--dict", str(user), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["code"] == "MLIINS"


def test_actor_errors(runner, tmp_path):
    assert runner.invoke(app, ["actor", "Syria", "--date", "7 Dec 2016"]).exit_code == 2
    assert runner.invoke(app, ["actor", "Syria", "--dict", str(tmp_path / "nope")]).exit_code == 2
    result = runner.invoke(app, ["actor", "nothing here"])
    assert result.exit_code == 1 and "no actor found" in result.output
