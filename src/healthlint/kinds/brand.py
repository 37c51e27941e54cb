"""The `brand` kind: mentions of a brand, product, model or shop name in editorial text.

A document's brand names are learned from the document itself, then every mention of
them is reported (an advertorial names its product again and again; the guideline
labels each mention in a promotional context). Names come from
- `brands`: the user's list (their own products and competitors'), matched
  case-insensitively; config `brands` feeds this option;
- strong cues, one mention is enough: a name marked with a trademark sign (TM, R), a
  model with a version number ("Acme ZenPro 2.1": the make "Acme" and the model
  "ZenPro" are learned), and the `teach` patterns of the rule (a name in a call to
  action, the subject of an "HSA/FSA eligible" pitch, the shop an author owns);
- weak cues, counted: an ALL-CAPS word of `caps_min_length`+ letters or a CamelCase
  word used at least `min_mentions` times, unless it is a known acronym (`allow`), is
  spelled out in brackets somewhere ("(DTLT)"), appears in lower case too (a shouted
  word), or sits among other capitals (a shouted heading); and, when the rule lists
  `commerce` words, only in a document that shows commercial intent (a neutral article
  that names a drug brand three times is not an advertorial).

A learned name is split into parts that can stand alone: each ALL-CAPS or CamelCase
word, and each run of ordinary capitalised words that is not only generic product
words ("Laser Therapy System"). Adjacent mentions merge into one finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import ClassVar

from healthlint.cache import re_compile, regex_compile
from healthlint.kinds import Kind
from healthlint.kinds.anchors import Anchors, doc_words, folded_text
from healthlint.model import Document, Finding
from healthlint.packs import Rule, RuleOptionError

#: What `<NAME>` stands for in a teach pattern: up to six capitalised words or
#: version numbers ("BIOFLEX MultiPort System", "Game Ready GRPro 2.1").
NAME = r"(?:[A-Z][\w'’&+-]*|\d+(?:\.\d+)*)(?:[ \t]+(?:[A-Z][\w'’&+-]*|\d+(?:\.\d+)+)){0,5}"

#: What `<MODEL>` stands for: such a run holding a word no dictionary has, a CamelCase
#: or ALL-CAPS word or a word with a number ("Acme ZenPro", "Zoom WhiteSpeed", "Halo
#: 300"), so that a capitalised common noun at a sentence start ("Physiotherapy costs
#: $60") is not taken for a product.
MODEL = (
    r"(?:[A-Z][\w'’&+-]*[ \t]+){0,3}"
    r"(?:[A-Z][a-z]+[A-Z][\w'’&+-]*|[A-Z]{3,}(?![\w'’&+-])|[A-Z][\w'’&+-]*[ \t]+\d+(?:\.\d+)*\b)"
    r"(?:[ \t]+(?:[A-Z][\w'’&+-]*|\d+(?:\.\d+)*\b)){0,3}"
)

_TRADEMARK = re_compile(
    r"(?P<name>(?:[A-Z][\w'’&+-]*[ \t]+){0,3}[A-Z][\w'’&+-]*)[ \t]?(?:[™®]|\((?:TM|R)\))"
)
# A mixed-case model word with two capitals and a dotted version: "GRPro 2.1".
_MODEL = re_compile(
    r"(?P<make>(?:[A-Z][\w'’&+-]*[ \t]+){0,3}?)"
    r"(?P<model>(?=[A-Za-z]*[a-z])(?=[a-z]*[A-Z][a-z]*[A-Z])[A-Z][A-Za-z]{2,})"
    r"[ \t]+\d+\.\d+(?![.\d]*\d)"
)
# A make followed by a short model code and a device noun: "Acme's QX 450 laser".
_MAKE_MODEL = re_compile(
    r"(?P<make>\b[A-Z][a-z]{2,})(?:['’]s)?[ \t]+"
    r"[A-Z]{1,4}[ \t-]?\d{2,4}[A-Za-z]?[ \t]+(?i:laser|device|system|unit|machine|wrap|panel|"
    r"mask|cap|helmet|pad|probe)s?\b"
)
_CAPS = re_compile(r"\b[A-Z]{2,}\b")
# Any two capitals in one word ("BIOFLEX", "MultiPort", "GRPro"): a cheap scan; the
# word around each hit is then read in Python.
_TWO_CAPS = regex_compile(r"[A-Z][a-z]*[A-Z]")
_LETTERS = re_compile(r"[A-Za-z]*")
# "\d\.\d" found from its dot: a pattern that opens with a literal is searched at C
# speed; one that opens with \d is tried at every digit (ten times slower here).
_VERSION_DOT = re_compile(r"\.(?<=\d\.)(?=\d)")
_HAS_MODEL_CODE = regex_compile(r"[A-Z][ \t-]?\d\d")  # where a _MAKE_MODEL match can be
_CAMEL = re_compile(r"\b(?:[A-Z][a-z]{2,}(?:[A-Z][a-z]+)+|[A-Z]{2,}[a-z]{2,})\b")
_VERSION = re_compile(r"[ \t]+\d+(?:\.\d+)+")
_GAP = re_compile(r"[ \t]+|[ \t]*[-–][ \t]*")
_WORDS = re_compile(r"[^\s]+")
_NAME_PREFIXES = ("Mc", "Mac", "De", "Di", "Du", "La", "Le", "Van", "Von", "O'")

_DETERMINERS = frozenset(
    "The A An Our This That These Those Its Their My His Her Any Every Each".split()
)
# Words that never name a product on their own, and that a run of them never does.
DEFAULT_GENERIC = (
    "System Systems Device Devices Laser Lasers Therapy Therapies Treatment Treatments "
    "Protocol Protocols Machine Machines Unit Units Kit Kits Review Reviews Guide Guides "
    "Clinic Clinics Center Centre Centers Centres Pro Plus Max Mini Lite Ultra Series "
    "Model Edition Light Red Infrared Cold Hot Pack Packs Set Program Programme Care "
    "Health Home Professional Clinical Medical Back Pain Relief Knee Neck Shoulder Spine "
    "Spinal Lumbar Session Sessions Product Products Shop Store Cart Details Pricing "
    "Price More All New Now Today Here Learn Read View Buy Order Book Call Contact "
    "Speak Team Free Best Top Our Your Class Type Stage Grade Level Phase Group Series "
    "Figure Table Section Chapter Part Step Version Deep Tissue High Low Power Intensity "
    "Cold Hot"
).split()


def _placeholders(pattern: str) -> str:
    return pattern.replace("<MODEL>", MODEL).replace("<NAME>", NAME)


def _compile_list(key: str, patterns, flags: int = 0) -> list[re.Pattern]:
    out = []
    for i, pat in enumerate(patterns):
        try:
            out.append(re_compile(_placeholders(pat), flags))
        except re.error as exc:
            raise RuleOptionError(key, f"{key} {i + 1} does not compile: {exc}: {pat!r}") from None
    return out


class BrandKind(Kind):
    name = "brand"
    options: ClassVar[dict] = {
        "brands": {"type": "array", "items": {"type": "string", "minLength": 2},
                   "description": "Brand and product names to report at every mention "
                                  "(case-insensitive). Config `brands` feeds this list."},
        "teach": {"type": "array", "items": {"anyOf": [
                      {"type": "string", "minLength": 1},
                      {"type": "object", "required": ["pattern"], "additionalProperties": False,
                       "properties": {"pattern": {"type": "string", "minLength": 1},
                                      "anchors": {"type": "array",
                                                  "items": {"type": "string", "minLength": 1}},
                                      "context": {"type": "string", "minLength": 1}}},
                  ]},
                  "description": "Regexes with a group `name` (write <NAME> for a run of "
                                 "capitalised words, <MODEL> for one holding a CamelCase, "
                                 "ALL-CAPS or numbered word): each match teaches a brand name. "
                                 "With `anchors` (words every match contains) a pattern "
                                 "runs only near them; with `context` (a regex) it teaches "
                                 "only when the context is found in the same block."},
        "allow": {"type": "array", "items": {"type": "string", "minLength": 2},
                  "description": "Acronyms and names never taken for a brand (FDA, PubMed)."},
        "generic": {"type": "array", "items": {"type": "string", "minLength": 1},
                    "description": "Capitalised words that are not a name on their own "
                                   "(System, Laser); default: a built-in list."},
        "min_mentions": {"type": "integer", "minimum": 1,
                         "description": "Uses before an ALL-CAPS or CamelCase word counts "
                                        "as a brand (default 3)."},
        "caps_min_length": {"type": "integer", "minimum": 2,
                            "description": "Shortest ALL-CAPS word that may be a brand "
                                           "(default 5; shorter ones are mostly acronyms)."},
        "commerce": {"type": "array", "items": {"type": "string", "minLength": 1},
                     "description": "Words or phrases showing commercial intent; when given, "
                                    "a name learned from repetition alone counts only in a "
                                    "document that holds one of them."},
        "heuristics": {"type": "boolean",
                       "description": "Learn names from the text (default true); false: "
                                      "only `brands` and `teach`."},
        "exceptions": {"type": "array", "items": {"type": "string", "minLength": 1},
                       "description": "Regexes; a mention inside a match is not reported."},
        "link_urls": {"type": "array", "items": {"type": "string", "minLength": 1},
                      "description": "Regexes on link URLs that mark a shop or affiliate link: "
                                     "a name in such a link's text, or a name of the page "
                                     "whose words make up the URL's slug, is learned."},
    }
    message_fields = ("match", "name", "count", "reason")

    def __init__(self, rule: Rule) -> None:
        super().__init__(rule)
        opts = rule.options
        self.brands = [b.strip() for b in opts.get("brands", ()) if b.strip()]
        self.brand_re = (
            re_compile(
                "|".join(rf"(?<!\w){re.escape(b)}(?!\w)" for b in sorted(self.brands, key=len,
                                                                           reverse=True)),
                re.IGNORECASE,
            )
            if self.brands else None
        )
        self.teach = []
        for i, item in enumerate(opts.get("teach", ())):
            pattern = item if isinstance(item, str) else item["pattern"]
            try:
                compiled = re_compile(_placeholders(pattern))
            except re.error as exc:
                raise RuleOptionError(
                    "teach", f"teach {i + 1} does not compile: {exc}: {pattern!r}"
                ) from None
            anchors = None if isinstance(item, str) or not item.get("anchors") else (
                Anchors(item["anchors"], 160)
            )
            context = None
            if not isinstance(item, str) and item.get("context"):
                try:
                    context = re_compile(item["context"], re.IGNORECASE)
                except re.error as exc:
                    raise RuleOptionError(
                        "teach", f"teach {i + 1} context does not compile: {exc}"
                    ) from None
            self.teach.append((compiled, anchors, context))
        self.exceptions = _compile_list("exceptions", opts.get("exceptions", ()), re.IGNORECASE)
        self.allow = frozenset(opts.get("allow", ()))
        self.generic = frozenset(opts.get("generic", DEFAULT_GENERIC))
        self.min_mentions = int(opts.get("min_mentions", 3))
        self.caps_min = int(opts.get("caps_min_length", 5))
        self.heuristics = bool(opts.get("heuristics", True))
        self.commerce = Anchors(opts["commerce"]) if opts.get("commerce") else None
        links = _compile_list("link_urls", opts.get("link_urls", ()), re.IGNORECASE)
        self.link_urls = re.compile("|".join(p.pattern for p in links), re.I) if links else None

    # ---- learning names --------------------------------------------------------------

    def parts(self, name: str) -> list[str]:
        """The parts of a learned name that can stand alone as a mention."""
        words = _WORDS.findall(name)
        while words and words[0] in _DETERMINERS:
            words.pop(0)
        out: list[str] = []
        run: list[str] = []

        def close() -> None:
            if run and not all(w in self.generic for w in run):
                out.append(" ".join(run))
            run.clear()

        for w in words:
            core = w.rstrip("'’s") if w.endswith(("'s", "’s")) else w
            if core in self.allow:
                close()
            elif (_CAPS.fullmatch(core) and len(core) >= 3) or _CAMEL.fullmatch(core):
                close()
                if core not in self.generic:
                    out.append(core)
            elif core[:1].isupper() and core[1:].islower() or "-" in core and core[:1].isupper():
                run.append(core)
            else:
                close()
        close()
        return out

    def learn(self, doc: Document) -> dict[str, str]:
        """Name part -> why it is a brand, for one document's prose."""
        text = doc.prose.text
        names: dict[str, str] = {}

        def add(name: str, reason: str) -> None:
            for part in self.parts(name):
                names.setdefault(part, reason)

        if "™" in text or "®" in text or "(TM)" in text or "(R)" in text:
            for m in _TRADEMARK.finditer(text):
                add(m.group("name"), "marked as a trademark")
        last = -1
        for dot in _VERSION_DOT.finditer(text):
            start, stop = dot.start() - 1, dot.start() + 2  # the digit, dot and digit
            if start < last:
                continue  # "1.2.3": as a plain finditer of "\d\.\d", not "2.3" again
            last = stop
            j = start
            while j and text[j - 1].isdigit():
                j -= 1
            if j < 2 or text[j - 1] not in " \t" or not text[j - 2].isalpha():
                continue  # a bare figure ("2.3 points"), not "Name 2.3"
            model = _MODEL.search(text, max(0, start - 80), stop + 1)
            if model:
                add(model.group("make") + model.group("model"), "a product model")
        end = -1
        for hit in _HAS_MODEL_CODE.finditer(text):
            if hit.start() < end:
                continue
            m = _MAKE_MODEL.search(text, max(0, hit.start() - 40), hit.end() + 40)
            if m:
                end = m.end()
                add(m.group("make"), "a product model")
        exact = doc.prose.folded is not None
        for pat, anchors, context in self.teach:
            if anchors is None or not exact:
                found = pat.finditer(text)
            else:
                found = (
                    m for s, e in anchors.ranges(anchors.hits(doc), text)
                    for m in pat.finditer(text, s, e)
                )
            for m in found:
                if not m.group("name"):
                    continue
                if context is not None:
                    block = doc.prose.blocks[doc.prose.locate(m.start())[0]]
                    if not context.search(block.text):
                        continue
                add(m.group("name"), "promoted")
        if self.link_urls is not None:
            for name in self._linked(doc):
                add(name, "named in a shop link")
        if self.heuristics and (self.commerce is None or self._commercial(doc)):
            self._weak(text, names)
        skip = _front_matter_spans(doc)
        return {
            n: r for n, r in names.items() if n not in self.allow and self._proper(n, text, skip)
        }

    def _linked(self, doc: Document) -> list[str]:
        """Names in the text of shop and affiliate links, and names of the page that the
        slug of such a link spells ("HaloRed Wand" for ".../halored-wand?tag=...")."""
        urls: list[str] = []
        out: list[str] = []
        for block in doc.prose.blocks:
            if block.scope == "front_matter":
                continue
            for link in block.links:
                if not self.link_urls.search(link.url):
                    continue
                urls.append(link.url.lower())
                label = block.text[link.start:link.end]
                for m in _NAME_RE.finditer(label):
                    words = m.group().split()
                    if m.start() == _first_word(label) and words[0].lower() in _LINK_VERBS:
                        words = words[1:]  # "Shop ...", "See ...": the verb of the link
                    if _distinct(words):
                        out.append(" ".join(words))
        if not urls:
            return out
        joined = " ".join(urls)
        for m in _NAME_RE.finditer(doc.prose.text):
            words = m.group().split()
            while words and words[0] in _DETERMINERS:
                words.pop(0)
            for lo in (0, 1):
                for hi in range(len(words), lo, -1):
                    part = words[lo:hi]
                    if _distinct(part) and _in_slug(joined, part):
                        out.append(" ".join(part))
                        break
                else:
                    continue
                break
        return out

    def _commercial(self, doc: Document) -> bool:
        words = doc_words(doc)
        if any(w.encode() in words for w in self.commerce.words):
            return True
        folded = folded_text(doc)
        return any(s in folded for s in self.commerce.symbols)

    def _weak(self, text: str, names: dict[str, str]) -> None:
        """ALL-CAPS and CamelCase words used `min_mentions` times or more."""
        seen: dict[str, list[int]] = {}
        last_end = -1
        for m in _TWO_CAPS.finditer(text):
            start = m.start()
            if start < last_end or (start and text[start - 1].isalnum()):
                continue
            end = _LETTERS.match(text, m.end()).end()
            last_end = end
            if end < len(text) and text[end].isdigit():
                continue  # "COVID19", "HbA1c": codes, not names
            word = text[start:end]
            at = seen.get(word)
            if at is None:
                seen[word] = [start]
            else:
                at.append(start)
        need = self.min_mentions
        for word, starts in seen.items():
            if len(starts) < need or word in self.allow or word in self.generic:
                continue
            if word.isupper():
                if len(word) < self.caps_min or f"({word}" in text or f"{word} (" in text:
                    continue  # short caps are acronyms; "(DTLT)" spells one out
                size = len(word)
                if sum(1 for s in starts if not self._shouted(text, s, s + size)) < need:
                    continue
            elif not _CAMEL.fullmatch(word) or word.startswith(_NAME_PREFIXES):
                continue
            names.setdefault(word, f"named {len(starts)} times")

    def _proper(self, name: str, text: str, skip: tuple[tuple[int, int], ...] = ()) -> bool:
        """False for a one-word name that the text also writes in lower case. Front
        matter (a `slug:`) and addresses do not count: they are lower case by rule."""
        low = name.lower()
        if " " in name or low not in text:
            return True
        for m in re.finditer(rf"(?<![\w./@=#?&-]){re.escape(low)}(?![\w/]|\.\w)", text):
            if not any(lo <= m.start() < hi for lo, hi in skip):
                return False
        return True

    def _shouted(self, text: str, start: int, end: int) -> bool:
        """Next to another ALL-CAPS word that is not a known acronym: a shouted heading
        or warning ("WHAT IS LLLT"), not a name."""
        for w in text[max(0, start - 30):start].split()[-1:] + text[end:end + 30].split()[:1]:
            w = w.strip(".,:;!?()\"'")
            if len(w) >= 2 and w.isalpha() and w.isupper() and w not in self.allow:
                return True
        return False

    # ---- reporting -------------------------------------------------------------------

    def check(self, doc: Document) -> Iterator[Finding]:
        prose = doc.prose
        text = prose.text
        names = self.learn(doc)
        spans: list[tuple[int, int, str]] = []
        for name in names:
            spans += _find_words(text, name, name)
        if self.brands:
            folded = folded_text(doc)
            if len(folded) == len(text):
                for brand in self.brands:
                    for s, e, _ in _find_words(folded, brand.lower(), brand):
                        spans.append((s, e, text[s:e]))
            else:
                spans += [(m.start(), m.end(), m.group()) for m in self.brand_re.finditer(text)]
        if not spans:
            return
        spans.sort()
        counts: dict[str, int] = {}
        for _, _, name in spans:
            counts[name.lower()] = counts.get(name.lower(), 0) + 1
        for start, end, name in _merge(text, spans):
            index, offset = prose.locate(start)
            block = prose.blocks[index]
            stop = offset + (end - start)
            if stop > len(block.text) or block.scope == "front_matter":
                continue
            if self.rule.scope and block.scope not in self.rule.scope:
                continue
            if any(
                em.start() <= offset and stop <= em.end()
                for exc in self.exceptions for em in exc.finditer(block.text)
            ):
                continue
            reason = names.get(name) or "on the brand list"
            yield self.finding(
                doc, *block.source_span(offset, stop),
                name=name, count=counts[name.lower()], reason=reason,
            )


_NAME_RE = re_compile(NAME)
_DISTINCT_WORD = re_compile(r"[A-Z][a-z]+[A-Z]|[A-Z]{3}|\d")


_LINK_VERBS = frozenset(
    "see shop buy get check view order visit compare explore discover browse read try grab "
    "claim find save".split()
)


def _distinct(words: list[str]) -> bool:
    """Two or more words, or one CamelCase, ALL-CAPS or numbered word: a single plain
    word ("Amazon", "Check") is too often an ordinary word to learn from a link."""
    return len(words) > 1 or (len(words) == 1 and _DISTINCT_WORD.search(words[0]) is not None)


def _first_word(text: str) -> int:
    return len(text) - len(text.lstrip())


def _in_slug(urls: str, words: list[str]) -> bool:
    """Whether lower-cased `urls` spell the words as a slug ("halored-wand", "halored_wand"),
    between characters that are not letters or digits."""
    core = [w.lower().rstrip("'’s") if w.endswith(("'s", "’s")) else w.lower() for w in words]
    for sep in ("-", "_"):
        slug = sep.join(core)
        i = urls.find(slug)
        while i >= 0:
            j = i + len(slug)
            if (i == 0 or not urls[i - 1].isalnum()) and (j >= len(urls) or not urls[j].isalnum()):
                return True
            i = urls.find(slug, i + 1)
    return False


def _front_matter_spans(doc: Document) -> tuple[tuple[int, int], ...]:
    """Where front-matter blocks lie in the joined prose."""
    prose = doc.prose
    return tuple(
        (prose.starts[k], prose.starts[k] + len(b.text))
        for k, b in enumerate(prose.blocks)
        if b.scope == "front_matter"
    )


def _find_words(text: str, needle: str, label: str) -> list[tuple[int, int, str]]:
    """Whole-word occurrences of `needle` in `text` (a hyphen may follow: "ACME-range")."""
    out = []
    size = len(needle)
    n = len(text)
    i = text.find(needle)
    while i >= 0:
        j = i + size
        if (i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_-")) and (
            j >= n or not (text[j].isalnum() or text[j] == "_")
        ):
            out.append((i, j, label))
        i = text.find(needle, j)
    return out


def _merge(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join mentions separated only by a space or hyphen ("BIOFLEX MultiPort"), extend
    each over a following version number, and drop overlaps. The name kept is the first
    part's, so messages and counts stay per name."""
    out: list[tuple[int, int, str]] = []
    for start, end, name in spans:
        if out and start < out[-1][1]:
            continue
        if out and _GAP.fullmatch(text, out[-1][1], start):
            out[-1] = (out[-1][0], end, out[-1][2])
            continue
        out.append((start, end, name))
    result = []
    for start, end, name in out:
        v = _VERSION.match(text, end)
        result.append((start, v.end() if v else end, name))
    return result
