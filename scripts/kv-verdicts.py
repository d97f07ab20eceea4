#!/usr/bin/env python3
"""Prints kubernetes-validate's strict verdict on every document of the given files, one JSON
object a line, for the corpus cross-check (tests/integration/corpus.rs):

    {"file": F, "object": "kind/name", "verdict": "valid"|"invalid"|"skipped", "message": M}
    {"file": F, "object": null, "verdict": "unreadable", "message": M}

    kv-verdicts.py VERSION FILE...

Run it with the Python of the kubernetes-validate installation. Documents are read the way
kubernetes-validate reads them (PyYAML's safe loader, empty documents ignored), and checked
with its `validate(..., strict=True)` (its schema files read once, not once a document); a file that does not parse is one "unreadable" line
instead of stopping the run, and files are checked on every core.
"""
import functools
import json
import multiprocessing
import sys

import yaml
from kubernetes_validate import utils


# kubernetes-validate reads and parses the schema files (5 MB of definitions) for every
# document; the same files give the same verdicts when read once.
utils.schema_contents = functools.lru_cache(maxsize=None)(utils.schema_contents)


def object_name(document):
    metadata = document.get("metadata") if isinstance(document.get("metadata"), dict) else {}
    name = metadata.get("name") or metadata.get("generateName") or "-"
    return f"{str(document.get('kind', '-')).lower()}/{name}"


def verdicts(job):
    version, filename = job
    yaml.SafeLoader.add_constructor("tag:yaml.org,2002:value", utils.construct_value)
    try:
        with open(filename) as f:
            documents = [d for d in yaml.load_all(f.read(), Loader=yaml.SafeLoader) if d]
    except Exception as error:  # noqa: BLE001 - any reading error is the file's verdict
        return [{"file": filename, "object": None, "verdict": "unreadable", "message": str(error)}]
    out = []
    for document in documents:
        if not isinstance(document, dict):
            out.append({"file": filename, "object": "-", "verdict": "invalid",
                        "message": "not a mapping"})
            continue
        record = {"file": filename, "object": object_name(document)}
        try:
            utils.validate(document, version, strict=True)
            record.update(verdict="valid", message="")
        except utils.ValidationError as error:
            path = ".".join(str(p) for p in error.path)
            record.update(verdict="invalid", message=f"{path}: {error.message}")
        except (utils.SchemaNotFoundError, utils.InvalidSchemaError) as error:
            record.update(verdict="skipped", message=str(getattr(error, "message", error)))
        except Exception as error:  # noqa: BLE001 - kubernetes-validate's own failures
            record.update(verdict="invalid", message=f"could not be validated: {error}")
        out.append(record)
    return out


def main():
    version, files = sys.argv[1], sys.argv[2:]
    with multiprocessing.Pool() as pool:
        for records in pool.imap(verdicts, [(version, f) for f in files], chunksize=16):
            for record in records:
                print(json.dumps(record))


if __name__ == "__main__":
    main()
