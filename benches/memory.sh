#!/usr/bin/env bash
# Peak memory of `podsmith validate` as the input grows: 1, 10,000 and 50,000 files, and one
# stream of 50,000 documents, for the text, JSON and SARIF reports. Memory should stay flat in
# the number of files and, for a stream, bounded by the slice read at a time.
#
#   benches/memory.sh          # needs GNU time (/usr/bin/time) and python3
#   PODSMITH=/path/to/podsmith benches/memory.sh   # measure that binary instead of building one
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x /usr/bin/time ] || { echo "benches/memory.sh needs GNU time (apt-get install time)" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
bin=${PODSMITH:-}
if [ -z "$bin" ]; then
    cargo build --release --locked --quiet
    bin=target/release/podsmith
fi

python3 - "$work" <<'PY'
import os, sys
out = sys.argv[1]
doc = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-{i}
spec:
  selector:
    matchLabels: {{app: web}}
  template:
    metadata:
      labels: {{app: web}}
    spec:
      containers:
        - name: web
          image: nginx:latest
          ports:
            - containerPort: 8080
"""
for count in (1, 10000, 50000):
    folder = os.path.join(out, f"files-{count}")
    os.makedirs(folder)
    for i in range(count):
        open(os.path.join(folder, f"m{i:05}.yaml"), "w").write(doc.format(i=i))
with open(os.path.join(out, "stream.yaml"), "w") as stream:
    for i in range(50000):
        stream.write("---\n" + doc.format(i=i))
PY

peak() { /usr/bin/time -f %M "$@" >/dev/null 2>"$work/time" || true; tail -1 "$work/time"; }
printf '%-24s %10s %10s %10s\n' input text json sarif
for input in files-1 files-10000 files-50000 stream.yaml; do
    row=()
    for format in text json sarif; do
        row+=("$(peak "$bin" validate -o "$format" "$work/$input") KiB")
    done
    printf '%-24s %10s %10s %10s\n' "$input" "${row[@]}"
done
