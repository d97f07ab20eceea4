#!/usr/bin/env python3
"""Writes the version tables of src/validate/tables/ from the Kubernetes OpenAPI definitions of
every supported version, as bundled by kubernetes-validate (one `_definitions.json` per version).

    scripts/api-tables.py [SCHEMA_DIR] [OUT_DIR]

SCHEMA_DIR defaults to the `kubernetes-json-schema` folder of the kubernetes_validate package of
the Python running the script; OUT_DIR to src/validate/tables. The tables hold names and version
numbers only:

- kinds.tsv: `apiVersion  kind  type  first  last` for every kind with a group-version-kind, the
  first and last supported minor version whose definitions have it.
- fields.tsv: `type  field  target  first  last`, only for the fields whose presence differs
  between the supported versions and for the fields that lead to such a type. `target` is the
  field's type (`[]T` a list of T, `{}T` a map of T), empty for a scalar. `first`/`last` are
  empty when the field is there from the oldest/until the newest supported version.
- schemas.tsv: `type  field  shape  required  first  last`, the whole schema of every type that
  the kinds podsmith does not read as typed objects lead to: every kind outside TYPED_KINDS, and
  the typed kinds' versions that the newest version no longer serves (the typed objects are
  those of the newest version). `shape` is a scalar (`string`, `date-time`, `bytes` for base64,
  `integer`, `number`, `boolean`, `int-or-string`, `quantity`, `object` for free-form JSON), a
  type of the table, or either behind `[]` (a list) or `{}` (a map); `required` is `yes` when
  the field is required; `first`/`last` as above.

A test (tables_match_the_definitions) runs this script and compares when the definitions are
present.
"""
import json
import os
import sys

OLDEST, NEWEST = 27, 37

# The kinds podsmith reads as typed objects (the `kinds!` table of src/validate/object.rs): their
# rules need the typed object, and CustomResourceDefinition's schema types (JSON,
# JSONSchemaPropsOrArray...) take shapes this table cannot express. Every other kind is checked
# along schemas.tsv. A test checks that the two lists agree.
TYPED_KINDS = {
    ("apps/v1", "DaemonSet"),
    ("apps/v1", "Deployment"),
    ("apps/v1", "ReplicaSet"),
    ("apps/v1", "StatefulSet"),
    ("autoscaling/v2", "HorizontalPodAutoscaler"),
    ("batch/v1", "CronJob"),
    ("batch/v1", "Job"),
    ("v1", "ConfigMap"),
    ("v1", "Pod"),
    ("v1", "ReplicationController"),
    ("v1", "Secret"),
    ("v1", "Service"),
    ("networking.k8s.io/v1", "Ingress"),
    ("networking.k8s.io/v1", "IngressClass"),
    ("networking.k8s.io/v1", "NetworkPolicy"),
    ("policy/v1", "PodDisruptionBudget"),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"),
    ("rbac.authorization.k8s.io/v1", "Role"),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"),
    ("apiextensions.k8s.io/v1", "CustomResourceDefinition"),
}
PREFIXES = [
    ("io.k8s.api.", ""),
    ("io.k8s.apimachinery.pkg.apis.", ""),
    ("io.k8s.apimachinery.pkg.", ""),
    ("io.k8s.apiextensions-apiserver.pkg.apis.", ""),
    ("io.k8s.kube-aggregator.pkg.apis.", ""),
]


def short(name):
    for prefix, replacement in PREFIXES:
        if name.startswith(prefix):
            return replacement + name[len(prefix):]
    return name


def ref_of(schema):
    """The type a property schema refers to: `T`, `[]T`, `{}T`, or '' for a scalar."""
    if "$ref" in schema:
        return short(schema["$ref"].rsplit("/", 1)[1])
    for option in schema.get("allOf", []) + schema.get("anyOf", []) + schema.get("oneOf", []):
        found = ref_of(option)
        if found:
            return found
    if isinstance(schema.get("items"), dict):
        inner = ref_of(schema["items"])
        return "[]" + inner if inner else ""
    if isinstance(schema.get("additionalProperties"), dict):
        inner = ref_of(schema["additionalProperties"])
        return "{}" + inner if inner else ""
    return ""


SCALAR_REFS = {
    "api.resource.Quantity": "quantity",
    "util.intstr.IntOrString": "int-or-string",
    "runtime.RawExtension": "object",
    "apis.meta.v1.FieldsV1": "object",
}


def shape_of(schema, definitions):
    """A property's shape for schemas.tsv; the named types it leads to are found by the caller."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        target = definitions[name]
        if "properties" in target:
            return short(name)
        for suffix, scalar in SCALAR_REFS.items():
            if name.endswith(suffix):
                return scalar
        return shape_of(target, definitions)
    for key in ("allOf", "anyOf", "oneOf"):
        if schema.get(key):
            return shape_of(schema[key][0], definitions)
    types = schema.get("type", "object")
    kind = next(t for t in ([types] if isinstance(types, str) else types) if t != "null")
    if kind == "array":
        return "[]" + shape_of(schema.get("items", {}), definitions)
    if kind == "object":
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict) and schema.get("properties") is None:
            return "{}" + shape_of(extra, definitions)
        return "object"
    if kind == "string":
        return {"date-time": "date-time", "byte": "bytes"}.get(schema.get("format"), "string")
    return kind


def default_schema_dir():
    import kubernetes_validate

    return os.path.join(os.path.dirname(kubernetes_validate.__file__), "kubernetes-json-schema")


def main():
    schema_dir = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else default_schema_dir()
    out_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "src", "validate", "tables"
    )
    kinds = {}  # (apiVersion, kind) -> (type, set of minors)
    fields = {}  # (type, field) -> (target, set of minors)
    every_definitions = {}  # minor -> definitions
    for minor in range(OLDEST, NEWEST + 1):
        path = os.path.join(schema_dir, f"v1.{minor}.0-local-strict", "_definitions.json")
        with open(path) as f:
            definitions = json.load(f)["$defs"]
        every_definitions[minor] = definitions
        for name, definition in definitions.items():
            type_name = short(name)
            for gvk in definition.get("x-kubernetes-group-version-kind", []):
                api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
                key = (api_version, gvk["kind"])
                if key[1].endswith("List") or type_name.rsplit(".", 1)[1] != key[1]:
                    continue
                if "properties" not in definition:
                    continue
                if "metadata" not in definition["properties"]:
                    continue
                kinds.setdefault(key, (type_name, set()))[1].add(minor)
            for field, schema in definition.get("properties", {}).items():
                entry = fields.setdefault((type_name, field), [ref_of(schema), set()])
                entry[0] = entry[0] or ref_of(schema)
                entry[1].add(minor)

    every = set(range(OLDEST, NEWEST + 1))

    def bounds(minors):
        first, last = min(minors), max(minors)
        assert minors == set(range(first, last + 1)), "a field or kind that comes back"
        return ("" if first == OLDEST else str(first)), ("" if last == NEWEST else str(last))

    # The types that matter: those with a field not in every version, and those with a field
    # leading to a type that matters.
    by_type = {}
    for (type_name, field), (target, minors) in fields.items():
        by_type.setdefault(type_name, []).append((field, target, minors))
    matters = {t for t, fs in by_type.items() if any(m != every for _, _, m in fs)}
    while True:
        grown = {
            t for t, fs in by_type.items()
            if any(target.lstrip("[]{}") in matters for _, target, _ in fs)
        } | matters
        if grown == matters:
            break
        matters = grown

    os.makedirs(out_dir, exist_ok=True)
    header = "# Generated by scripts/api-tables.py from the Kubernetes OpenAPI definitions; do not edit.\n"
    with open(os.path.join(out_dir, "kinds.tsv"), "w") as out:
        out.write(header)
        for (api_version, kind), (type_name, minors) in sorted(kinds.items()):
            first, last = bounds(minors)
            out.write(f"{api_version}\t{kind}\t{type_name}\t{first}\t{last}\n")
    with open(os.path.join(out_dir, "fields.tsv"), "w") as out:
        out.write(header)
        for type_name in sorted(matters):
            for field, target, minors in sorted(by_type[type_name]):
                if minors == every and target.lstrip("[]{}") not in matters:
                    continue
                first, last = bounds(minors)
                out.write(f"{type_name}\t{field}\t{target}\t{first}\t{last}\n")
    with open(os.path.join(out_dir, "schemas.tsv"), "w") as out:
        out.write(header)
        for row in schema_rows(kinds, every_definitions, bounds):
            out.write("\t".join(row) + "\n")


def schema_rows(kinds, every_definitions, bounds):
    """The rows of schemas.tsv: every type reachable from a kind podsmith has no typed object
    for."""
    shapes = {}  # (type, field) -> {minor: (shape, required)}
    for key, (type_name, minors) in sorted(kinds.items()):
        if key in TYPED_KINDS and NEWEST in minors:
            continue
        for minor in sorted(minors):
            definitions = every_definitions[minor]
            by_short = {short(name): name for name in definitions}
            pending, seen = [type_name], set()
            while pending:
                current = pending.pop()
                if current in seen:
                    continue
                seen.add(current)
                definition = definitions[by_short[current]]
                required = set(definition.get("required", []))
                for field, schema in definition.get("properties", {}).items():
                    shape = shape_of(schema, definitions)
                    shapes.setdefault((current, field), {})[minor] = (shape, field in required)
                    named = shape.lstrip("[]{}")
                    if named in by_short:
                        pending.append(named)
    rows = []
    for (type_name, field), by_minor in sorted(shapes.items()):
        # A field whose shape or requiredness changes gets one row per stretch of versions.
        stretches = []
        for minor in sorted(by_minor):
            value = by_minor[minor]
            if stretches and stretches[-1][0] == value and stretches[-1][2] == minor - 1:
                stretches[-1][2] = minor
            else:
                stretches.append([value, minor, minor])
        for (shape, required), first, last in stretches:
            first, last = bounds(set(range(first, last + 1)))
            rows.append((type_name, field, shape, "yes" if required else "", first, last))
    return rows


if __name__ == "__main__":
    main()
