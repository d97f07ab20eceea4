#!/usr/bin/env bash
# Whole-process timings: `podsmith new` with three patterns against
# `kubectl create deployment --dry-run=client`, the tool users reach for today.
# Needs hyperfine (apt-get install hyperfine) and kubectl; prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
podsmith=target/release/podsmith
command -v hyperfine >/dev/null || { echo "install hyperfine: apt-get install -y hyperfine" >&2; exit 2; }
out=$(mktemp -d)
hyperfine --warmup 5 --min-runs 50 -N --export-markdown "$out/new.md" \
  -n 'podsmith new (3 patterns)' \
  "$podsmith new web --image ghcr.io/acme/web:1.4.2 --port 8080 --wait-for postgres:5432 --log-sidecar --ambassador 6379=cache.example.com:6379" \
  -n 'kubectl create deployment --dry-run=client' \
  "kubectl create deployment web --image=nginx:1.27 --dry-run=client -o yaml" >&2
cat "$out/new.md"
