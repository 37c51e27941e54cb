from ci_fixtures import findings

from healthlint import statistics


def test_counts_most_frequent_first():
    rows = statistics.count(findings())
    assert rows[0] == ("uncited-statistics.percent", "uncited-statistic", 2)
    assert [r.count for r in rows] == [2, 1, 1, 1, 1]
    assert [r.rule for r in rows[1:]] == sorted(r.rule for r in rows[1:])


def test_table():
    table = statistics.table(statistics.count(findings()))
    lines = table.splitlines()
    assert lines[0] == "2  uncited-statistics.percent       uncited-statistic"
    assert lines[-1] == "6  total"
    assert statistics.table([]) == "no findings\n"
