"""The command line explains itself, and the demo's team view accounts for every dollar shown."""

from __future__ import annotations

import argparse

import duckdb

from orchestration.cli import parser
from orchestration.lib.summary import team_table


def _subcommands(root: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [group] = [a for a in root._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(group.choices)


def test_every_flag_of_every_command_has_help() -> None:
    commands = _subcommands(parser())
    assert {"demo", "generate", "build"} <= set(commands)
    for name, command in commands.items():
        for action in command._actions:
            if action.option_strings:
                assert action.help, f"tokenworth {name} {action.option_strings[0]} has no help"


def test_help_is_self_contained() -> None:
    root = parser()
    texts = [root.format_help(), *(c.format_help() for c in _subcommands(root).values())]
    for text in texts:
        assert "DESIGN.md" not in text
    assert "TOKENWORTH_WAREHOUSE" in texts[0] and "TOKENWORTH_LANDING_DIR" in texts[0]


def _tiny_marts() -> duckdb.DuckDBPyConnection:
    """Two visible teams, one suppressed team, and spend that belongs to no team."""
    conn = duckdb.connect()
    conn.execute("create schema marts")
    conn.execute(
        """
        create table marts.mart_team_weekly as select * from (values
            ('alpha', false, 100, 200.0, 3, 2, 0.5),
            ('alpha', false, 50, 100.0, 1, 1, 0.0),
            ('beta', false, 400, 100.0, 2, 2, 1.0),
            ('small', true, null, null, null, null, null),
            ('small', false, 10, 10.0, 0, 0, 0.0)
        ) as t(team, is_suppressed, total_tokens, spend_usd, merged_pull_requests,
               productive_pull_requests, attributed_share)
        """
    )
    conn.execute(
        """
        create table marts.fct_ai_usage as select * from (values
            ('alpha', 150, 300.0), (null, 70, 40.0), (null, 30, 10.0)
        ) as t(team, total_tokens, cost_usd)
        """
    )
    conn.execute(
        """
        create table marts.fct_usage_allocation as select * from (values
            (null, 'explicit', 5.0), (null, 'unattributed', 45.0), ('alpha', 'explicit', 1.0)
        ) as t(team, method, cost_usd)
        """
    )
    return conn


def test_team_table_shows_no_team_spend_a_total_and_names_suppressed_teams() -> None:
    lines = team_table(_tiny_marts())
    rows = {line.split()[0]: line.split() for line in lines[2:] if not line.startswith("  supp")}
    # alpha: 150 tokens, USD 300, 4 merged, 3 productive -> 10.00 per 1k, attributed 100/300.
    assert rows["alpha"] == ["alpha", "150", "300", "4", "10.00", "33%"]
    assert rows["beta"] == ["beta", "400", "100", "2", "20.00", "100%"]
    # The suppressed week of `small` stays out; its visible week shows.
    assert rows["small"] == ["small", "10", "10", "0", "0.00", "0%"]
    # No team: 100 tokens, USD 50, of which USD 5 attributed.
    assert rows["no"][:8] == ["no", "team", "100", "50", "0", "0.00", "10%", "(usage"]
    # Total of what is shown: 660 tokens, USD 460, 6 merged, 5 productive, USD 205 attributed.
    assert rows["total"] == ["total", "660", "460", "6", "10.87", "45%"]
    [suppressed] = [line for line in lines if line.startswith("  suppressed")]
    assert "small" in suppressed and "1 of 2 weeks" in suppressed
