"""Soda Core 4 over one file on DuckDB: load the file, verify soda-contract.yaml, print a summary.

    python soda_scan.py FILE [--load table|view] [--contract soda-contract.yaml]

--load table (default) does what soda-duckdb does itself when its `database` is a .csv or
.parquet file: CREATE TABLE ... AS SELECT * FROM read_csv_auto(...) / read_parquet(...),
i.e. the file is decoded once into DuckDB's memory and every Soda query runs on that.
--load view defines a view instead, so every query Soda issues re-reads the file.

The Parquet bench file stores created_at / updated_at as plain INT64 epoch seconds (the
timestamp type is only in the Arrow schema metadata, which DuckDB ignores), so they are
turned into TIMESTAMP on load; the CSV is read with DuckDB's own type inference.
Everything (imports, load, verification) happens inside the process that run.sh times.
"""
import argparse
import json
import os
import sys
import time

os.environ.setdefault("SODA_CORE_TELEMETRY_ENABLED", "false")
t0 = time.perf_counter()
import duckdb  # noqa: E402
from soda_core.contracts.api import verify_contract_locally  # noqa: E402
from soda_duckdb.common.data_sources.duckdb_data_source import DuckDBDataSourceImpl  # noqa: E402

p = argparse.ArgumentParser()
p.add_argument("file")
p.add_argument("--load", choices=["table", "view"], default="table")
p.add_argument("--contract", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "soda-contract.yaml"))
p.add_argument("--summary", help="write check results as JSON to this file")
a = p.parse_args()

t1 = time.perf_counter()
con = duckdb.connect(":memory:")
path = a.file.replace("'", "''")
if a.file.endswith(".parquet"):
    src = (f"SELECT * REPLACE (make_timestamp(created_at * 1000000) AS created_at, "
           f"make_timestamp(updated_at * 1000000) AS updated_at) FROM read_parquet('{path}')")
else:
    src = f"SELECT * FROM read_csv_auto('{path}')"
con.execute(f"CREATE {'TABLE' if a.load == 'table' else 'VIEW'} customers AS {src}")
t2 = time.perf_counter()

ds = DuckDBDataSourceImpl.from_existing_cursor(con, name="bench")
result = verify_contract_locally(data_sources=[ds], contract_file_path=a.contract)
t3 = time.perf_counter()

checks = []
for cvr in result.contract_verification_results:
    for cr in cvr.check_results:
        chk = cr.check
        checks.append({
            "column": getattr(chk, "column_name", None),
            "type": getattr(chk, "type", None),
            "name": getattr(chk, "name", None),
            "qualifier": getattr(chk, "qualifier", None),
            "outcome": str(getattr(cr, "outcome", "")).split(".")[-1],
            "value": getattr(cr, "threshold_value", None),
        })
failed = sum(c["outcome"] == "FAILED" for c in checks)
passed = sum(c["outcome"] == "PASSED" for c in checks)
other = len(checks) - failed - passed
print(f"soda: {len(checks)} checks, {passed} passed, {failed} failed, {other} other; "
      f"import {t1 - t0:.2f}s load {t2 - t1:.2f}s verify {t3 - t2:.2f}s", file=sys.stderr)
if a.summary:
    with open(a.summary, "w") as f:
        json.dump({"checks": checks, "import_s": t1 - t0, "load_s": t2 - t1, "verify_s": t3 - t2},
                  f, ensure_ascii=False, indent=1, default=str)
# Soda's own convention: the run is an error only if a check could not be evaluated.
sys.exit(2 if other else 0)
