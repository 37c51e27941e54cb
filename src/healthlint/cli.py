"""Command line: argument parsing and wiring. `main(argv) -> int` is the entry point.

    healthlint check [PATH ...]   lint files and folders (the default command)
    healthlint rules              list the rules
    healthlint explain RULE       show what a rule checks and why
    healthlint test-rules [PACK]  run every rule's own examples
    healthlint eval --gold F ...  recall and precision against labelled articles

Exit status: 0 nothing at or above the fail level, 1 something is, 2 usage, config or
rule-pack error (also a path that does not exist).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from healthlint import __version__
from healthlint.config import FAIL_LEVELS, Config, ConfigError, resolve_config
from healthlint.files import PathError
from healthlint.packs import PackError, Problem, Rule

COMMANDS = ("check", "rules", "explain", "test-rules", "eval")
#: whether the garbage collector was on when main() was called
_COLLECTING = True
EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class UsageError(Exception):
    pass


def _split(values: Sequence[str] | None) -> tuple[str, ...] | None:
    """Flatten repeated, comma-separated option values."""
    if values is None:
        return None
    return tuple(v.strip() for value in values for v in value.split(",") if v.strip())


def _add_config_options(p: argparse.ArgumentParser, packs: bool = True) -> None:
    g = p.add_argument_group("configuration")
    g.add_argument("--config", metavar="FILE", help="use this config file instead of searching")
    g.add_argument("--no-config", action="store_true", help="ignore config files; use defaults")
    g.add_argument(
        "--no-cache", action="store_true",
        help="neither read nor write the start-up cache (loaded packs, compiled patterns)",
    )
    if packs:
        g.add_argument(
            "--pack",
            "--packs",
            dest="packs",
            action="append",
            metavar="PACK",
            help="rule pack (built-in name or YAML path); repeatable; replaces the config's packs",
        )


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The argument parser; `only` limits it to one subcommand (a run needs just one)."""
    from healthlint.formatters import FORMATTERS

    parser = argparse.ArgumentParser(
        prog="healthlint",
        description="Lint health content (Markdown, HTML, text) for risky claims.",
        epilog="`healthlint PATH ...` is short for `healthlint check PATH ...`.",
    )
    parser.add_argument("--version", action="version", version=f"healthlint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def wanted(name: str) -> bool:
        return only is None or only == name

    if wanted("check"):
        _add_check(sub, sorted(FORMATTERS))
    if wanted("rules"):
        rules = sub.add_parser("rules", help="list every rule")
        rules.add_argument("--format", default="text", choices=("text", "json", "markdown"),
                           help="markdown: the rule reference page, as docs/rules.md")
        _add_config_options(rules)
        rules.set_defaults(func=cmd_rules)
    if wanted("explain"):
        explain = sub.add_parser("explain", help="explain one rule")
        explain.add_argument("rule", metavar="RULE", help="full rule id, e.g. absolute-claims.x")
        _add_config_options(explain)
        explain.set_defaults(func=cmd_explain)
    if wanted("test-rules"):
        test = sub.add_parser("test-rules", help="check every rule against its own examples")
        test.add_argument(
            "test_packs", nargs="*", metavar="PACK", help="packs (default: configured)"
        )
        _add_config_options(test, packs=False)
        test.set_defaults(func=cmd_test_rules)
    if wanted("eval"):
        ev = sub.add_parser("eval", help="score findings against labelled articles")
        ev.add_argument("--gold", action="extend", nargs="+", required=True, metavar="FILE",
                        help="gold label file (repeatable); format in the README")
        ev.add_argument("--root", default=".", metavar="DIR",
                        help="folder the gold files' `file:` paths are relative to")
        ev.add_argument("--texts", metavar="DIR", help="else find labelled files by name here")
        ev.add_argument("--categories", metavar="A,B", help="score only these categories")
        ev.add_argument("--select", action="append", metavar="RULES")
        ev.add_argument("--ignore", action="append", metavar="RULES")
        ev.add_argument("--show-misses", action="store_true",
                        help="list every missed label and false positive")
        ev.add_argument("--min-recall", type=float, metavar="R")
        ev.add_argument("--min-precision", type=float, metavar="P")
        _add_config_options(ev)
        ev.set_defaults(func=cmd_eval)
    return parser


def _add_check(sub, formats: list[str]) -> None:
    check = sub.add_parser("check", help="lint files and folders (default command)")
    check.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    check.add_argument(
        "--format", action="append", metavar="NAME[:FILE]", type=_format_spec(formats),
        help=f"report format ({', '.join(formats)}; default text); repeatable: "
        "one may go to standard output, the others to their FILE",
    )
    check.add_argument(
        "-o", "--output", metavar="FILE", help="the file for the --format given without one"
    )
    check.add_argument(
        "--select", action="append", metavar="RULES", help="only these rule ids or prefixes"
    )
    check.add_argument(
        "--ignore", action="append", metavar="RULES", help="also ignore these ids or prefixes"
    )
    check.add_argument(
        "--fail-on", choices=FAIL_LEVELS, help="lowest severity that fails (default: warning)"
    )
    check.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only")
    check.add_argument(
        "-j", "--jobs", type=_positive, metavar="N",
        help="worker processes (default: 1 below 50 files, else one per CPU)",
    )
    ci = check.add_argument_group("CI")
    ci.add_argument(
        "--diff", metavar="BASE", help="only findings on lines changed since BASE (git)"
    )
    ci.add_argument("--baseline", metavar="FILE", help="hide the findings recorded in FILE")
    ci.add_argument(
        "--write-baseline", metavar="FILE", help="record this run's findings in FILE and exit 0"
    )
    ci.add_argument("--statistics", action="store_true", help="also print counts per rule")
    _add_config_options(check)
    check.set_defaults(func=cmd_check)


def _format_spec(formats: list[str]):
    def check(text: str) -> str:
        name = text.partition(":")[0]
        if name not in formats:
            raise argparse.ArgumentTypeError(
                f"unknown format {name!r} (choose from {', '.join(formats)})"
            )
        return text

    return check


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if n < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return n


def _with_default_command(argv: list[str]) -> list[str]:
    if not argv:
        return ["check"]
    if argv[0] in COMMANDS or argv[0] in ("-h", "--help", "--version"):
        return argv
    return ["check", *argv]


def main(argv: Sequence[str] | None = None) -> int:
    args_list = _with_default_command(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser(args_list[0] if args_list[0] in COMMANDS else None)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse exits 2 on a usage error, 0 after --help
        return exc.code if isinstance(exc.code, int) else EXIT_ERROR
    from healthlint import cache

    previous = cache.enable(None if getattr(args, "no_cache", False) else cache.default_dir())
    # Start-up makes tens of thousands of objects that live as long as the process
    # (modules, rules, patterns): collecting garbage among them is wasted time. The
    # collector comes back for runs over many files (_lint) and when main returns.
    global _COLLECTING
    collecting = _COLLECTING = gc.isenabled()
    gc.disable()
    try:
        status = args.func(args)
        cache.save()
        return status
    except (PackError, ConfigError) as exc:
        for problem in exc.problems:
            _err(str(problem))
        return EXIT_ERROR
    except (PathError, UsageError) as exc:
        _err(f"healthlint: error: {exc}")
        return EXIT_ERROR
    except KeyboardInterrupt:
        _err("healthlint: interrupted")
        return 130
    except BrokenPipeError:
        # The reader went away (`healthlint check | head`): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_FINDINGS
    finally:
        cache.use(previous)
        if collecting:
            gc.enable()


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def _warn(text: str) -> None:
    _err(f"healthlint: warning: {text}")


# -- loading -------------------------------------------------------------------------


def _config(args: argparse.Namespace, paths: Sequence[str]) -> Config:
    return resolve_config(list(paths), args.config, not args.no_config)


def _pack_paths(config: Config, cli_packs: tuple[str, ...] | None) -> list[Path]:
    from healthlint.packs import resolve

    if cli_packs:  # relative to the working directory, shown as typed
        return [resolve(name) for name in cli_packs]
    return config.pack_paths()


def _load_rules(paths: list[Path]) -> list[Rule]:
    from healthlint.packs import load_packs

    return load_packs(paths)


# -- check ---------------------------------------------------------------------------


def _lint(
    args: argparse.Namespace,
    paths: list[str],
    config: Config,
    jobs: int | None,
    stages: Sequence = (),
    writes: Sequence[str] = (),
):
    """Select and build the rules, lint `paths`: the run both `check` and `eval` do.

    `stages` are filters after the configured ones (baseline, changed lines); `writes` are
    the files the run will write, which must not be among the linted files."""
    from healthlint.files import Selector, discover
    from healthlint.filters import META_RULES, build_pipeline
    from healthlint.packs import build_checks
    from healthlint.runner import run
    from healthlint.selection import Selection

    cli_select = _split(args.select)
    cli_ignore = _split(args.ignore) or ()
    config = config.with_overrides(
        select=cli_select, ignore=config.ignore + cli_ignore, fail_on=getattr(args, "fail_on", None)
    )
    rules = _load_rules(_pack_paths(config, _split(args.packs)))
    if config.options or config.brands:
        from healthlint.packs import apply_options

        rules = apply_options(rules, config.options, config.brands, config.where("options"))
    selection = Selection(config, [*rules, *META_RULES])
    _warn_about_config(config, selection, cli_select, cli_ignore)
    meta = {r.id for r in META_RULES}
    checks = build_checks([r for r in selection.active() if r.id not in meta])

    files = discover(paths, Selector(config.base, config.include, config.exclude))
    linted = {os.path.abspath(f) for f in files}
    for path in writes:
        if os.path.abspath(path) in linted:
            raise UsageError(f"{path} is one of the files being linted; write it elsewhere")
    if len(files) > 1 and _COLLECTING:
        # what start-up made stays out of later collections; files' garbage is collected
        gc.freeze()
        gc.enable()
    return run(files, checks, [*build_pipeline(selection), *stages], jobs), config


def cmd_check(args: argparse.Namespace) -> int:
    from healthlint.formatters import FormatOptions, OutputError, parse_outputs, write

    paths = args.paths or ["."]
    try:
        outs = parse_outputs(args.format, args.output)
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    if args.write_baseline:
        writes, stages = [args.write_baseline], []
    else:
        writes, stages = [o.path for o in outs if o.path], _ci_stages(args)
    result, config = _lint(args, paths, _config(args, paths), args.jobs, stages, writes)
    if args.write_baseline:
        return _write_baseline(args.write_baseline, result)

    stream = _stdout()
    try:
        write(
            result,
            outs,
            stdout=stream,
            stdout_options=FormatOptions(_use_color(args.color, stream), args.quiet),
            file_options=FormatOptions(args.color == "always", args.quiet),
        )
    except OutputError as exc:
        raise UsageError(str(exc)) from None
    _ci_notes(args, stages, outs, result)
    return EXIT_FINDINGS if result.failed(config.fail_on) else EXIT_OK


# -- CI: --diff, --baseline, --write-baseline, --statistics (README "CI integration") --


def _ci_stages(args: argparse.Namespace) -> list:
    """The filter stages after severity, in order: baseline, then changed lines."""
    stages = []
    if args.baseline:
        from healthlint.baseline import BaselineError, BaselineFilter, load
        from healthlint.repo import find_root

        try:
            stages.append(BaselineFilter(load(args.baseline), find_root()))
        except BaselineError as exc:
            raise UsageError(str(exc)) from None
    if args.diff:
        from healthlint.gitdiff import GitDiffError, changes

        try:
            found = changes(args.diff)
        except GitDiffError as exc:
            raise UsageError(str(exc)) from None
        for notice in found.notices:
            _warn(notice)
        stages.append(found.filter)
    return stages


def _write_baseline(path: str, result) -> int:
    from healthlint.baseline import BaselineError, write
    from healthlint.repo import find_root

    try:
        entries = write(path, result.findings, find_root())
    except BaselineError as exc:
        raise UsageError(str(exc)) from None
    _err(f"healthlint: recorded {len(result.findings)} findings ({entries} entries) in {path}")
    return EXIT_OK


def _ci_notes(args: argparse.Namespace, stages: list, outs: list, result) -> None:
    from healthlint.formatters import stdout_format

    for stage in stages:
        fixed = getattr(stage, "fixed", 0)
        if fixed and not args.quiet:
            entries = "entry no longer matches" if fixed == 1 else "entries no longer match"
            _err(
                f"healthlint: {fixed} baseline {entries} (fixed); "
                f"run --write-baseline {args.baseline} to ratchet"
            )
    if args.statistics:
        from healthlint.statistics import count, table

        # Standard output stays machine-readable when another format owns it.
        own = stdout_format(outs) in (None, "text")
        stream = _stdout() if own else sys.stderr
        stream.write(table(count(result.findings)))
        stream.flush()


def cmd_eval(args: argparse.Namespace) -> int:
    from healthlint import evaluate

    try:
        gold, problems = evaluate.load_gold(args.gold, args.root, args.texts)
    except evaluate.GoldError as exc:
        raise UsageError(str(exc)) from None
    if not gold:
        raise UsageError("the gold files label no articles")
    paths = [g.text_path for g in gold]
    result, _ = _lint(args, paths, _config(args, paths[:1]), None)
    for problem in result.problems:
        _warn(f"{problem.path}: {problem.message}")
    categories = _split([args.categories]) if args.categories else ()
    report = evaluate.score(gold, [f.to_dict() for f in result.findings], categories)
    report.problems.extend(problems)
    out = _stdout()
    out.write(evaluate.render(report, show=args.show_misses))
    failed = evaluate.below(report, args.min_recall, args.min_precision)
    for line in failed:
        out.write(f"below the minimum: {line}\n")
    return EXIT_FINDINGS if failed else EXIT_OK


def _stdout() -> TextIO:
    # Never die on a character the terminal's encoding lacks.
    if hasattr(sys.stdout, "reconfigure"):
        try:
            sys.stdout.reconfigure(errors="backslashreplace")
        except (ValueError, OSError):
            pass
    return sys.stdout


def _use_color(mode: str, stream: TextIO) -> bool:
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR"):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _warn_about_config(config: Config, selection, cli_select, cli_ignore) -> None:
    """Valid but probably wrong: selectors and options that name no loaded rule."""
    for key, sel in selection.unknown_selectors():
        top = key.split(".")[0].split("[")[0]
        from_cli = (key == "select" and cli_select) or (key == "ignore" and sel in cli_ignore)
        where = "command line" if from_cli else config.where(top)
        _warn(f"{where}: {key} entry {sel!r} matches no loaded rule{_hint(sel, selection.rules)}")
    for rule_id in config.options:
        if rule_id not in selection.rules:
            hint = _hint(rule_id, selection.rules)
            _warn(f"{config.where('options')}: options for unknown rule {rule_id!r}{hint}")


def _hint(word: str, choices) -> str:
    from healthlint.schema_check import suggest

    ids = list(choices)
    packs = {i.partition(".")[0] for i in ids}
    found = suggest(word, [*ids, *packs])
    return f" (did you mean {found!r}?)" if found else ""


# -- rules / explain -----------------------------------------------------------------


def _all_rules(args: argparse.Namespace) -> list[Rule]:
    from healthlint.filters import META_RULES

    config = _config(args, ["."])
    return [*_load_rules(_pack_paths(config, _split(args.packs))), *META_RULES]


def cmd_rules(args: argparse.Namespace) -> int:
    out = _stdout()
    if args.format == "markdown":
        from healthlint.docs import pack_descriptions, render

        paths = _pack_paths(_config(args, ["."]), _split(args.packs))
        out.write(render(_load_rules(paths), pack_descriptions(paths)))
        return EXIT_OK
    rules = sorted(_all_rules(args), key=lambda r: r.id)
    if args.format == "json":
        import json

        json.dump([rule_dict(r) for r in rules], out, indent=2, ensure_ascii=False)
        out.write("\n")
        return EXIT_OK
    rows = [("RULE", "CATEGORY", "SEVERITY", "ENABLED", "MESSAGE")]
    for r in rules:
        message = " ".join(r.message.split())
        if len(message) > 60:
            message = message[:59] + "…"
        rows.append((r.id, r.category, str(r.severity), "yes" if r.enabled else "no", message))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for row in rows:
        cells = [row[i].ljust(widths[i]) for i in range(4)] + [row[4]]
        out.write("  ".join(cells).rstrip() + "\n")
    out.write(f"\n{len(rules)} rules\n")
    return EXIT_OK


def rule_dict(r: Rule) -> dict:
    return {
        "id": r.id,
        "pack": r.pack,
        "kind": r.kind,
        "category": r.category,
        "severity": str(r.severity),
        "enabled": r.enabled,
        "message": r.message,
        "rationale": r.rationale,
        "source": r.source,
        "link": r.link,
        "scope": list(r.scope),
        "suggestion": r.suggestion,
        "examples": {"flag": list(r.examples_flag), "pass": list(r.examples_pass)},
        "options": dict(r.options),
        "path": r.path,
        "line": r.line,
    }


def cmd_explain(args: argparse.Namespace) -> int:
    rules = {r.id: r for r in _all_rules(args)}
    rule = rules.get(args.rule)
    if rule is None:
        raise UsageError(f"unknown rule {args.rule!r}{_hint(args.rule, rules)}")
    out = _stdout()
    state = "enabled" if rule.enabled else "disabled by default"
    lines = [
        f"{rule.id}",
        f"  category: {rule.category}   severity: {rule.severity}   {state}",
        "",
        f"Message:    {rule.message}",
        f"Scope:      {', '.join(rule.scope) if rule.scope else 'all prose'}",
    ]
    if rule.suggestion:
        lines.append(f"Suggestion: {rule.suggestion}")
    lines += ["", "Why:", *_indent(rule.rationale), "", f"Source: {rule.source}"]
    if rule.link:
        lines.append(f"Link:   {rule.link}")
    where = f"{rule.path}:{rule.line}" if rule.line else rule.path
    lines.append(f"Defined in: {where}")
    for title, examples in (("Flagged", rule.examples_flag), ("Not flagged", rule.examples_pass)):
        if examples:
            lines += ["", f"{title}:"]
            for ex in examples:
                first, *rest = ex.strip().splitlines() or [""]
                lines.append(f"  - {first}")
                lines += [f"    {more}" for more in rest]
    out.write("\n".join(lines) + "\n")
    return EXIT_OK


def _indent(text: str) -> list[str]:
    import textwrap

    return textwrap.wrap(" ".join(text.split()), 88, initial_indent="  ", subsequent_indent="  ")


# -- test-rules ----------------------------------------------------------------------


def cmd_test_rules(args: argparse.Namespace) -> int:
    from healthlint.examples import misbehaviour
    from healthlint.packs import build_checks, resolve

    config = _config(args, ["."])
    if args.test_packs:
        paths = [resolve(name) for name in args.test_packs]
    else:
        paths = config.pack_paths()
    if not paths:
        raise UsageError("no rule packs to test")
    rules = _load_rules(paths)
    checks = build_checks(rules)
    failures: list[Problem] = []
    examples = 0
    lines: dict[str, dict] = {}
    for check in checks:
        rule = check.rule
        if rule.path not in lines:
            lines[rule.path] = _example_lines(rule.path)
        where = lines[rule.path]
        for which, texts in (("flag", rule.examples_flag), ("pass", rule.examples_pass)):
            if not texts:
                line = where.get((rule.short_id, which, None), rule.line_of("examples"))
                failures.append(
                    Problem(rule.path, line, f"no {which!r} example", rule.id, "examples")
                )
            for i, text in enumerate(texts):
                examples += 1
                line = where.get((rule.short_id, which, i), rule.line_of("examples"))
                why = misbehaviour(check, which, text)
                if why:
                    message = f"{which} example {i + 1} {why}"
                    failures.append(Problem(rule.path, line, message, rule.id, "examples"))
    out = _stdout()
    for problem in failures:
        out.write(f"{problem}\n")
    n_rules = len(checks)
    if failures:
        out.write(
            f"\n{len(failures)} failing of {examples} examples in {n_rules} rules\n"
        )
        return EXIT_FINDINGS
    out.write(f"All {examples} examples of {n_rules} rules behave as documented\n")
    return EXIT_OK


def _example_lines(path: str) -> dict[tuple, int]:
    """(rule id, "flag"/"pass", index) -> line of each example in a pack file.

    Index None gives the line of the list itself. Pack loading keeps only mapping-key
    lines, so the file is composed again here; this runs only for `test-rules`.
    """
    import yaml

    try:
        text = Path(path).read_text(encoding="utf-8-sig")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    out: dict[tuple, int] = {}

    def get(node, key):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if getattr(k, "value", None) == key:
                    return k, v
        return None, None

    _, rules = get(root, "rules")
    for rule in getattr(rules, "value", []) if isinstance(rules, yaml.SequenceNode) else []:
        _, id_node = get(rule, "id")
        _, examples = get(rule, "examples")
        if id_node is None or examples is None:
            continue
        for which in ("flag", "pass"):
            key, seq = get(examples, which)
            if key is not None:
                out[(id_node.value, which, None)] = key.start_mark.line + 1
            if isinstance(seq, yaml.SequenceNode):
                for i, item in enumerate(seq.value):
                    out[(id_node.value, which, i)] = item.start_mark.line + 1
    return out
