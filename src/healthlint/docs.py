"""The rule reference (docs/rules.md), generated from the shipped packs' metadata.

    python -m healthlint.docs -o docs/rules.md     # regenerate
    python -m healthlint.docs --check docs/rules.md   # exit 1 if it is out of date

Every rule of every pack under rules/ is listed with its category, severity, whether
it is on by default, message, rationale, source, link, scope, kind options and its
flag and pass examples. The page quotes the very phrases the rules flag, so it
opens with a directive that turns healthlint off for itself.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from healthlint.packs import Rule

HEADER = """\
<!-- healthlint-disable -- this page quotes the phrases the rules flag -->
# Rule reference

Generated from the rule packs by `python -m healthlint.docs -o docs/rules.md`; do not
edit by hand. Each rule is `PACK.ID`; select or ignore rules by id or prefix in your
configuration. Rules marked *off by default* run only when selected.
"""


def _code(text: str) -> str:
    """Inline code for a one-line text (fenced by enough backticks to hold its own)."""
    ticks = "`"
    while ticks in text:
        ticks += "`"
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def _example(text: str) -> list[str]:
    if "\n" not in text:
        return [f"- {_code(text)}"]
    fence = "```"
    while fence in text:
        fence += "`"
    return ["", f"{fence}markdown", *text.split("\n"), fence, ""]


def _options(rule: Rule) -> str:
    """The rule's scalar kind options (thresholds, switches); lists are left out."""
    shown = [
        f"{_code(f'{k}: {str(v).lower() if isinstance(v, bool) else v}')}"
        for k, v in sorted(rule.options.items())
        if isinstance(v, (str, int, float, bool))
    ]
    return ", ".join(shown)


def _rule(rule: Rule) -> list[str]:
    facts = [
        f"- **Category:** {rule.category}",
        f"- **Severity:** {rule.severity}" + ("" if rule.enabled else " (off by default)"),
        f"- **Kind:** {rule.kind}",
        f"- **Scope:** {', '.join(rule.scope) if rule.scope else 'all prose'}",
        f"- **Message:** {rule.message}",
    ]
    if rule.suggestion:
        facts.append(f"- **Suggestion:** {rule.suggestion}")
    options = _options(rule)
    if options:
        facts.append(f"- **Options:** {options}")
    facts.append(f"- **Source:** {rule.source}")
    if rule.link:
        facts.append(f"- **Link:** <{rule.link}>")
    lines = [f"### `{rule.id}`", "", rule.rationale, "", *facts, "", "Flags:", ""]
    for ex in rule.examples_flag:
        lines.extend(_example(ex))
    lines += ["", "Passes:", ""]
    for ex in rule.examples_pass:
        lines.extend(_example(ex))
    lines.append("")
    return lines


def render(rules: Iterable[Rule], descriptions: dict[str, str] | None = None) -> str:
    """The Markdown page for `rules`, grouped by pack in the given order."""
    descriptions = descriptions or {}
    packs: dict[str, list[Rule]] = {}
    for rule in rules:
        packs.setdefault(rule.pack, []).append(rule)
    out = [HEADER]
    out.append("| Pack | Rules | Categories |")
    out.append("|---|---|---|")
    for name, members in packs.items():
        cats = ", ".join(sorted({r.category for r in members}))
        out.append(f"| [{name}](#{name}) | {len(members)} | {cats} |")
    out.append("")
    for name, members in packs.items():
        out += [f"## {name}", ""]
        if descriptions.get(name):
            out += [descriptions[name].strip(), ""]
        out += ["| Rule | Category | Severity | On |", "|---|---|---|---|"]
        for r in members:
            out.append(
                f"| [`{r.short_id}`](#{_anchor(r.id)}) | {r.category} | {r.severity} "
                f"| {'yes' if r.enabled else 'no'} |"
            )
        out.append("")
        for r in members:
            out.extend(_rule(r))
    out.extend(_kinds(sorted({r.kind for rs in packs.values() for r in rs})))
    page = "\n".join(out)
    while "\n\n\n" in page:
        page = page.replace("\n\n\n", "\n\n")
    return page.rstrip("\n") + "\n"


def _kinds(names: list[str]) -> list[str]:
    """Each kind's own keys, from the JSON-Schema properties the kind declares."""
    from healthlint import schema_check
    from healthlint.kinds import load_kind

    out = ["## Rule kinds", "",
           "The keys each kind adds to a rule, besides the common ones (README, Rule packs).", ""]
    for name in names:
        kind = load_kind(name)
        out += [f"### kind `{name}`", ""]
        doc = (kind.__doc__ or "").strip().split("\n\n")[0]
        if doc:
            out += [" ".join(doc.split()), ""]
        required = set(kind.required_options)
        out += ["| key | value | meaning |", "|---|---|---|"]
        for key, schema in sorted(kind.options.items()):
            meaning = " ".join(str(schema.get("description", "")).split()).replace("|", "\\|")
            value = schema_check.describe(schema).replace("|", "\\|")
            mark = " (required)" if key in required else ""
            out.append(f"| `{key}`{mark} | {value} | {meaning} |")
        out.append("")
    return out


def _anchor(rule_id: str) -> str:
    """GitHub's heading anchor for "### `pack.id`": lower case, '.' dropped."""
    return "".join(c for c in rule_id.lower() if c.isalnum() or c in "-_ ").replace(" ", "-")


def shipped(rules_dir: Path | None = None) -> tuple[list[Rule], dict[str, str]]:
    """All rules of the packs in `rules_dir` (default: the shipped ones), packs by name."""
    from healthlint import packs

    folder = rules_dir or packs.builtin_dir()
    paths = sorted(folder.glob("*.yaml"))
    return packs.load_packs(paths), pack_descriptions(paths)


def pack_descriptions(paths: Iterable[Path]) -> dict[str, str]:
    """Each pack's `description`, by pack name (packs that already loaded cleanly)."""
    from healthlint.yamlsource import load_yaml

    descriptions = {}
    for path in paths:
        data = load_yaml(path.read_text(encoding="utf-8-sig"))
        if isinstance(data, dict):
            descriptions[str(data.get("pack") or path.stem)] = str(data.get("description") or "")
    return descriptions


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m healthlint.docs", description=__doc__.splitlines()[0]
    )
    ap.add_argument("-o", "--output", help="write the page here instead of to stdout")
    ap.add_argument("--check", metavar="FILE",
                    help="exit 1 if FILE differs from the generated page")
    ap.add_argument("--rules-dir", help="packs to document (default: the shipped packs)")
    a = ap.parse_args(argv)
    from healthlint.packs import PackError

    try:
        page = render(*shipped(Path(a.rules_dir) if a.rules_dir else None))
    except PackError as exc:
        print(exc, file=sys.stderr)
        return 2
    if a.check:
        try:
            current = Path(a.check).read_text(encoding="utf-8")
        except OSError as exc:
            print(f"{a.check}: {exc.strerror or exc}", file=sys.stderr)
            return 1
        if current != page:
            print(f"{a.check} is out of date; run: python -m healthlint.docs -o {a.check}",
                  file=sys.stderr)
            return 1
        return 0
    if a.output:
        Path(a.output).write_text(page, encoding="utf-8", newline="\n")
    else:
        sys.stdout.write(page)
    return 0


if __name__ == "__main__":
    sys.exit(main())
