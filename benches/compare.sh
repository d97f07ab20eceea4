#!/usr/bin/env bash
# Whole-process benchmarks, in one run, on this machine, as the README's figures are taken:
#
#   1. `podsmith new` with three patterns against `kubectl create deployment --dry-run=client`,
#      and the floor under it: `podsmith --version` and `true`;
#   2. `podsmith validate` on 10,000 files of varied manifests (copies of the valid fixtures and
#      the rendered snapshots under new names), on the same documents as one stream, on the
#      corpus of real-world manifests (../shared/corpus) and on a single file;
#   3. `kubernetes-validate --strict` on the first 200 of the 10,000 files, against podsmith on
#      the same 200;
#   4. the floor: the same 10,000 files and the corpus read and run through saphyr-parser's
#      event parser on all cores, nothing else (examples/yaml_floor.rs).
#
#   benches/compare.sh                 # needs hyperfine, kubectl and python3
#   COUNT=2000 KV_FILES=50 RUNS=5 benches/compare.sh
#
# It builds the release binary (unless PODSMITH names one) and the floor program, installs kubernetes-validate 1.37.0 into target/kv-venv (unless
# KUBERNETES_VALIDATE names one) and prints a Markdown report: date, machine, commands, means.
# The in-process stages are measured by `cargo bench` (benches/generate.rs, benches/validate.rs).
set -euo pipefail
cd "$(dirname "$0")/.."

count=${COUNT:-10000}
kv_files=${KV_FILES:-200}
runs=${RUNS:-10}
corpus=${CORPUS:-../shared/corpus}
for tool in hyperfine kubectl python3; do
    command -v "$tool" >/dev/null || { echo "benches/compare.sh needs $tool" >&2; exit 2; }
done
[ -d "$corpus" ] || { echo "no corpus at $corpus (set CORPUS)" >&2; exit 2; }

podsmith=${PODSMITH:-}
if [ -z "$podsmith" ]; then
    cargo build --release --locked --quiet
    podsmith=$PWD/target/release/podsmith
fi
cargo build --release --locked --quiet --example yaml_floor
floor=$PWD/target/release/examples/yaml_floor
kv=${KUBERNETES_VALIDATE:-}
if [ -z "$kv" ]; then
    venv=target/kv-venv
    if [ ! -x "$venv/bin/kubernetes-validate" ]; then
        python3 -m venv "$venv"
        "$venv/bin/pip" install --quiet --disable-pip-version-check kubernetes-validate==1.37.0
    fi
    kv=$PWD/$venv/bin/kubernetes-validate
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The 10,000 files: every single-kind document of the valid fixtures and of the snapshots, each
# copy under a new name.
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
with open(os.path.join(out, "stream.yaml"), "w") as stream:
    for i in range(count):
        doc = docs[i % len(docs)]
        doc = re.sub(r"(?m)^(  name: \"?)([a-z0-9-]+)", lambda m: f"{m.group(1)}{m.group(2)}-{i}", doc, count=1)
        open(os.path.join(out, "many", f"m{i:05}.yaml"), "w").write(doc)
        stream.write("---\n" + doc)
print(f"{count} manifests from {len(docs)} distinct documents", file=sys.stderr)
PY
mkdir "$work/subset"
files=("$work"/many/*.yaml)
cp "${files[@]:0:$kv_files}" "$work/subset/"
subset=("$work"/subset/*.yaml) # hyperfine -N runs no shell to expand a glob
single=${files[0]}

# Documents in the corpus, as podsmith counts them (its summary line on stderr).
corpus_documents=$("$podsmith" validate "$corpus" 2>&1 >/dev/null | grep -oE '[0-9,]+ document' | tail -1 | tr -d ',' | cut -d' ' -f1 || true)

new_cmd="$podsmith new web --image nginx:1.27 --wait-for db:5432 --log-sidecar --ambassador 6379=redis.example.com:6379"
kubectl_cmd="kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml"
# Validation finds errors in some inputs (the corpus has broken manifests): -i keeps timing.
hf() { hyperfine -N -i --style basic --export-json "$work/$1.json" "${@:2}" >&2; }

hf new --warmup 20 --min-runs 200 -n "podsmith new (3 patterns)" "$new_cmd" -n "kubectl create deployment --dry-run=client" "$kubectl_cmd"
# What any process costs here, and podsmith's start-up alone: the floor under `podsmith new`.
hf floor --warmup 20 --min-runs 200 -n "podsmith --version" "$podsmith --version" -n "true" "$(command -v true)"
hf many --warmup 1 --runs "$runs" -n "podsmith validate, $count files" "$podsmith validate --quiet $work/many"
hf stream --warmup 1 --runs "$runs" -n "podsmith validate, one stream of $count documents" "$podsmith validate --quiet $work/stream.yaml"
hf corpus --warmup 1 --runs "$runs" -n "podsmith validate, corpus" "$podsmith validate --quiet $corpus"
hf floor_many --warmup 1 --runs "$runs" -n "saphyr-parser events, $count files" "$floor $work/many"
hf floor_corpus --warmup 1 --runs "$runs" -n "saphyr-parser events, corpus" "$floor $corpus"
hf single --warmup 20 --min-runs 100 -n "podsmith validate, one file" "$podsmith validate --quiet $single"
hf subset --warmup 1 --runs "$runs" -n "podsmith validate, $kv_files files" "$podsmith validate --quiet $work/subset" \
    -n "kubernetes-validate --strict, $kv_files files" "$kv -k 1.37.0 --strict --quiet ${subset[*]}"

python3 - "$work" "$count" "$kv_files" "${corpus_documents:-0}" "${new_cmd//$PWD\//}" "$kubectl_cmd" <<'PY'
import datetime, json, os, platform, sys
work, count, kv_files, corpus_docs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
new_cmd, kubectl_cmd = sys.argv[5], sys.argv[6]
def load(name):
    return json.load(open(os.path.join(work, name + ".json")))["results"]
def ms(r):
    return f"{r['mean'] * 1000:.2f} ms ± {r['stddev'] * 1000:.2f} (median {r['median'] * 1000:.2f}, min {r['min'] * 1000:.2f})"
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.processor())
print(f"Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {cpu}, {os.cpu_count()} cores, "
      f"{platform.system()} {platform.release()}; load average before the run {os.getloadavg()[0]:.1f}.\n")
print("| what | mean ± σ | rate or ratio |\n|---|---|---|")
new, kubectl = load("new")
print(f"| `podsmith new` (3 patterns) | {ms(new)} | {kubectl['mean'] / new['mean']:.1f}× faster than kubectl (medians {kubectl['median'] / new['median']:.1f}×) |")
print(f"| `kubectl create deployment --dry-run=client` | {ms(kubectl)} | |")
version, true = load("floor")
print(f"| `podsmith --version` (start-up and exit only) | {ms(version)} | |")
print(f"| `true` (any process on this machine) | {ms(true)} | |")
for name, docs, label in [("many", count, f"`podsmith validate` on {count:,} files"),
                          ("stream", count, f"`podsmith validate` on one stream of the same {count:,} documents"),
                          ("corpus", corpus_docs, f"`podsmith validate` on the corpus ({corpus_docs:,} documents)")]:
    r = load(name)[0]
    print(f"| {label} | {ms(r)} | {docs / r['mean']:,.0f} documents/s (user {r['user']:.2f} s) |")
for name, ours, docs, label in [("floor_many", "many", count, f"the floor: saphyr-parser's events alone on the {count:,} files"),
                                ("floor_corpus", "corpus", corpus_docs, "the floor on the corpus")]:
    r, p = load(name)[0], load(ours)[0]
    print(f"| {label} | {ms(r)} | {docs / r['mean']:,.0f} documents/s (user {r['user']:.2f} s); podsmith takes {p['mean'] / r['mean']:.2f}× its time |")
print(f"| `podsmith validate` on one file | {ms(load('single')[0])} | |")
ours, theirs = load("subset")
print(f"| `podsmith validate` on {kv_files} files | {ms(ours)} | |")
print(f"| `kubernetes-validate -k 1.37.0 --strict` on the same {kv_files} files | {ms(theirs)} | podsmith {theirs['mean'] / ours['mean']:.0f}× faster |")
print(f"\nCommands: `{new_cmd}` against `{kubectl_cmd}`; `podsmith validate --quiet PATH`; "
      "hyperfine -N (no shell), warm page cache.")
PY
