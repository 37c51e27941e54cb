import pytest

from healthlint.formatters import Output, OutputError, stdout_format
from healthlint.formatters import parse_outputs as parse

KNOWN = ("text", "json", "sarif", "github", "gitlab", "junit", "rdjsonl")


def test_default_is_text_on_stdout():
    assert parse(None, None, KNOWN) == [Output("text", None)]


def test_several_outputs_one_on_stdout():
    outs = parse(["github", "sarif:out/healthlint.sarif", "junit:C:\\r\\j.xml"], None, KNOWN)
    assert outs == [Output("github", None), Output("sarif", "out/healthlint.sarif"),
                    Output("junit", "C:\\r\\j.xml")]
    assert stdout_format(outs) == "github"
    assert stdout_format(outs[1:]) is None


def test_output_names_the_file_of_the_format_without_one():
    assert parse(["json", "sarif:a.sarif"], "r.json", KNOWN) == [
        Output("json", "r.json"), Output("sarif", "a.sarif")]
    assert parse(None, "r.txt", KNOWN) == [Output("text", "r.txt")]


@pytest.mark.parametrize("specs, output, message", [
    (["xml"], None, "unknown format 'xml'"),
    (["sarif:"], None, "no file name after ':'"),
    (["text", "json"], None, "would all write to standard output"),
    (["sarif:a"], "b", "there is none"),
    (["sarif:a", "json:./a"], None, "two formats would write to ./a"),
])
def test_bad_combinations(specs, output, message):
    with pytest.raises(OutputError, match=message):
        parse(specs, output, KNOWN)
