#!/usr/bin/env bash
# Do `cargo run` and `cargo test` build the same dependencies? Compares the unit graphs
# of the two commands (cargo's nightly `--unit-graph`, nothing is compiled) and lists the
# units the normal build needs that the test build does not have: each is a crate that
# would be compiled twice, with everything above it. Exit 1 when there is one.
#   scripts/build-sharing.sh            # needs a nightly toolchain (rustup toolchain add nightly)
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
export CARGO_TARGET_DIR="$tmp/target"
cargo +nightly build --unit-graph -Z unstable-options "$@" > "$tmp/build.json"
cargo +nightly test --no-run --unit-graph -Z unstable-options "$@" > "$tmp/test.json"
python3 - "$tmp/build.json" "$tmp/test.json" <<'PY'
import json, sys
def units(path):
    out = set()
    for u in json.load(open(path))["units"]:
        p = u["profile"]
        out.add((u["pkg_id"], u["target"]["name"], tuple(u["target"]["kind"]), u["mode"],
                 tuple(sorted(u["features"])), str(p.get("opt_level")), str(p.get("debuginfo")),
                 u.get("platform")))
    return out
build, test = units(sys.argv[1]), units(sys.argv[2])
missing = sorted(k for k in build if k not in test)
print(f"{len(build)} units in `cargo build`, {len(test)} in `cargo test`; "
      f"{len(missing)} built only by `cargo build`")
for k in missing:
    print(f"  {k[0].split('#')[-1]} {k[1]} {k[3]} features={list(k[4])}")
sys.exit(1 if missing else 0)
PY
