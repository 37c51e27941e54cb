"""A small validator for the JSON-Schema subset healthlint's own schemas use.

The full `jsonschema` package costs more to import than a whole one-file lint run, so
packs and config are checked here; the test suite checks the shipped schema file and
packs with `jsonschema` itself, so the two cannot drift apart.
Supported: type, enum, const, properties, required, additionalProperties, items,
minItems, minimum, maximum, minLength, anyOf (of the above).
"""

from __future__ import annotations

from collections.abc import Iterator

_TYPES = {
    "string": str,
    "integer": int,
    "number": (int, float),
    "boolean": bool,
    "array": list,
    "object": dict,
    "null": type(None),
}


def _type_ok(value: object, name: str) -> bool:
    if name in ("integer", "number") and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[name])


def describe(schema: dict) -> str:
    if "enum" in schema:
        return "one of " + ", ".join(repr(v) for v in schema["enum"])
    if "anyOf" in schema:
        return " or ".join(describe(s) for s in schema["anyOf"])
    t = schema.get("type")
    if t == "array" and "items" in schema:
        return f"a list of {describe(schema['items']).removeprefix('a ').removeprefix('an ')}s"
    if isinstance(t, list):
        return " or ".join(t)
    article = "an" if t and t[0] in "aeiou" else "a"
    return f"{article} {t}" if t else "a value"


def errors(value: object, schema: dict, path: tuple = ()) -> Iterator[tuple[tuple, str]]:
    """Yield (path to the offending key, message) for each violation."""
    if "anyOf" in schema:
        if not any(not list(errors(value, s, path)) for s in schema["anyOf"]):
            yield path, f"expected {describe(schema)}, got {value!r}"
        return
    t = schema.get("type")
    if t is not None:
        names = t if isinstance(t, list) else [t]
        if not any(_type_ok(value, n) for n in names):
            yield path, f"expected {describe(schema)}, got {_kind_of(value)} {value!r}"
            return
    if "const" in schema and value != schema["const"]:
        yield path, f"expected {schema['const']!r}, got {value!r}"
    if "enum" in schema and value not in schema["enum"]:
        hint = suggest(str(value), [str(v) for v in schema["enum"]])
        yield (
            path,
            f"expected {describe(schema)}, got {value!r}"
            + (f" (did you mean {hint!r}?)" if hint else ""),
        )
    if isinstance(value, str) and len(value) < schema.get("minLength", 0):
        yield path, "must not be empty"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in schema and value < schema["minimum"]:
            yield path, f"must be at least {schema['minimum']}, got {value}"
        if "maximum" in schema and value > schema["maximum"]:
            yield path, f"must be at most {schema['maximum']}, got {value}"
    if isinstance(value, list):
        if len(value) < schema.get("minItems", 0):
            yield path, f"needs at least {schema['minItems']} item(s)"
        if "items" in schema:
            for i, item in enumerate(value):
                yield from errors(item, schema["items"], (*path, i))
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for key in schema.get("required", ()):
            if key not in value:
                yield (*path, key), f"missing required key {key!r}"
        extra = schema.get("additionalProperties", True)
        for key, item in value.items():
            if key in props:
                yield from errors(item, props[key], (*path, key))
            elif extra is False:
                hint = suggest(str(key), props)
                yield (
                    (*path, key),
                    f"unknown key {key!r}" + (f" (did you mean {hint!r}?)" if hint else ""),
                )
            elif isinstance(extra, dict):
                yield from errors(item, extra, (*path, key))


def suggest(word: str, choices) -> str | None:
    import difflib

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return match[0] if match else None


def _kind_of(value: object) -> str:
    for name in _TYPES:
        if _type_ok(value, name) and name != "number":
            return {"object": "a mapping", "array": "a list"}.get(
                name, f"a{'n' if name[0] in 'aeiou' else ''} {name}"
            )
    return type(value).__name__
