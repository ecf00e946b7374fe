#!/usr/bin/env python3
"""Validates card JSON files against the schemas in docs/schemas.

usage: validate_card.py SCHEMA_DIR SCHEMA_FILE CARD.json [CARD.json ...]
Prints one line per invalid card (file: path in the card: reason) and exits
1 when any card is invalid, 2 on usage errors.
"""
import json
import pathlib
import sys

from jsonschema import Draft202012Validator

COMMON = "card-common.schema.json"


def inline_common(node, common_defs):
    """Points references into card-common.schema.json at local $defs, so any
    jsonschema version (Debian 12 ships 4.10) resolves them offline."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(COMMON + "#/$defs/"):
            node["$ref"] = "#/$defs/" + ref.split("/")[-1]
        for value in node.values():
            inline_common(value, common_defs)
    elif isinstance(node, list):
        for value in node:
            inline_common(value, common_defs)


def main() -> int:
    if len(sys.argv) < 4:
        print(__doc__, file=sys.stderr)
        return 2
    schema_dir = pathlib.Path(sys.argv[1])
    schema = json.loads((schema_dir / sys.argv[2]).read_text())
    common = json.loads((schema_dir / COMMON).read_text())["$defs"]
    inline_common(common, common)
    inline_common(schema, common)
    schema.setdefault("$defs", {})
    for name, definition in common.items():
        schema["$defs"].setdefault(name, definition)
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)
    bad = 0
    for name in sys.argv[3:]:
        card = json.loads(pathlib.Path(name).read_text())
        for error in validator.iter_errors(card):
            bad += 1
            where = "/".join(str(p) for p in error.absolute_path) or "(root)"
            print(f"{name}: {where}: {error.message}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
