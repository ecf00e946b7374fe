#!/usr/bin/env python3
"""Validates rule files (YAML) against docs/schemas/rule-file.schema.json.

usage: validate_rule_files.py SCHEMA FILE.yaml [FILE.yaml ...]
Prints one line per file: "FILE: ok" or "FILE: invalid: PATH: reason"
(the first error), and exits 0; 2 on usage errors or a schema that is not
a valid draft 2020-12 schema.
"""
import json
import sys

import yaml
from jsonschema import Draft202012Validator


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    schema = json.loads(open(sys.argv[1], encoding="utf-8").read())
    try:
        Draft202012Validator.check_schema(schema)
    except Exception as e:  # noqa: BLE001 - any schema error is a usage error
        print(f"{sys.argv[1]}: not a valid schema: {e}", file=sys.stderr)
        return 2
    validator = Draft202012Validator(schema)
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            document = yaml.safe_load(f)
        errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
        if errors:
            where = "/".join(str(p) for p in errors[0].absolute_path) or "(top)"
            print(f"{path}: invalid: {where}: {errors[0].message}")
        else:
            print(f"{path}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
