#!/usr/bin/env bash
# Benchmark of `podsmith validate`: 10,000 manifests (one per file, copies of the valid fixtures
# and rendered snapshots under new names), timed with hyperfine, against kubernetes-validate
# on a subset of the same files.
#
#   benches/validate.sh            # needs hyperfine (apt-get install hyperfine) and python3
#   KV_FILES=200 benches/validate.sh
#   PODSMITH_CORPUS=/path/to/corpus benches/validate.sh   # default ../shared/corpus
#
# It builds the release binary and installs kubernetes-validate 1.37.0 into target/kv-venv.
set -euo pipefail
cd "$(dirname "$0")/.."

count=${COUNT:-10000}
kv_files=${KV_FILES:-200}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet
venv=target/kv-venv
if [ ! -x "$venv/bin/kubernetes-validate" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check kubernetes-validate==1.37.0
fi

# Sources: every single-kind document of the valid fixtures and of the snapshots.
python3 - "$work" "$count" <<'PY'
import glob, os, re, sys
out, count = sys.argv[1], int(sys.argv[2])
docs = []
paths = glob.glob("tests/fixtures/valid/**/*.yaml", recursive=True) + glob.glob("snapshots/**/*.snap", recursive=True)
for path in sorted(paths):
    text = open(path).read()
    if path.endswith(".snap"):
        parts = text.split("\n---\n", 1)
        if len(parts) < 2:
            continue
        text = parts[1]
    for doc in re.split(r"(?m)^---\s*$", text):
        if re.search(r"(?m)^kind: ", doc) and "ServiceMonitor" not in doc:
            docs.append(doc.strip("\n") + "\n")
os.makedirs(os.path.join(out, "many"))
for i in range(count):
    doc = docs[i % len(docs)]
    doc = re.sub(r"(?m)^(  name: \"?)([a-z0-9-]+)", lambda m: f"{m.group(1)}{m.group(2)}-{i}", doc, count=1)
    open(os.path.join(out, "many", f"m{i:05}.yaml"), "w").write(doc)
print(f"{count} manifests from {len(docs)} distinct documents")
PY

mkdir "$work/subset"
files=("$work"/many/*.yaml)
cp "${files[@]:0:$kv_files}" "$work/subset/"

echo "== podsmith validate, $count files"
hyperfine --warmup 2 --runs 10 -i "target/release/podsmith validate --quiet $work/many"
echo "== podsmith validate, $kv_files files"
hyperfine --warmup 2 --runs 10 -i "target/release/podsmith validate --quiet $work/subset"
echo "== kubernetes-validate --strict, $kv_files files"
hyperfine --warmup 1 --runs 3 -i "$venv/bin/kubernetes-validate -k 1.37.0 --strict --quiet $work/subset/*.yaml"

# The real-world corpus (../shared/corpus, or PODSMITH_CORPUS): about 1,400 documents of every
# kind, in one process.
corpus=${PODSMITH_CORPUS:-../shared/corpus}
if [ -d "$corpus" ]; then
    documents=$(target/release/podsmith validate --output json "$corpus" | python3 -c 'import json, sys; print(json.load(sys.stdin)["counts"]["documents"])')
    echo "== podsmith validate, the corpus ($documents documents)"
    hyperfine --warmup 2 --runs 20 -i "target/release/podsmith validate --quiet $corpus"
else
    echo "SKIPPED: the corpus benchmark: $corpus is absent (set PODSMITH_CORPUS)" >&2
fi
