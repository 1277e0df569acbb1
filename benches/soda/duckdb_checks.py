"""The 15 checks of steward-15.yaml / soda-contract.yaml as ONE DuckDB aggregate query over
FILE, streamed (no table): the fastest thing a user could run instead of a data-quality
tool, and about what Soda 4 compiles the contract into.

    python duckdb_checks.py FILE      # prints the 15 failing-row counts to stderr

The numbers follow README.md's mapping table (1 customer_id missing ... 15 freshness).
"""
import sys

import duckdb

f = sys.argv[1].replace("'", "''")
# The Parquet bench file stores created_at / updated_at as INT64 epoch seconds; turn
# them into timestamps as soda_scan.py does.
if f.endswith(".parquet"):
    source = (f"(SELECT * REPLACE (make_timestamp(created_at * 1000000) AS created_at, "
              f"make_timestamp(updated_at * 1000000) AS updated_at) FROM read_parquet('{f}'))")
else:
    source = f"read_csv_auto('{f}')"
cities = "'北京市', '上海市', '广州市', '深圳市', '杭州市', '成都市'"
query = f"""
SELECT
  count(*) FILTER (WHERE customer_id IS NULL),
  count(customer_id) - count(DISTINCT customer_id),
  count(*) FILTER (WHERE customer_id IS NOT NULL
                   AND NOT regexp_full_match(CAST(customer_id AS VARCHAR), 'C[0-9]{{8}}')),
  count(*) FILTER (WHERE name IS NULL),
  count(*) FILTER (WHERE gender IS NOT NULL AND gender NOT IN ('男', '女', 'M', 'F')),
  count(*) FILTER (WHERE id_number IS NULL),
  count(*) FILTER (WHERE mobile IS NULL),
  count(*) FILTER (WHERE mobile IS NOT NULL
                   AND NOT regexp_full_match(CAST(mobile AS VARCHAR), '1[3-9][0-9]{{9}}')),
  count(*) FILTER (WHERE email IS NULL),
  count(*) FILTER (WHERE email IS NOT NULL
                   AND NOT regexp_full_match(email, '[^@ ]+@[^@ ]+\\.[A-Za-z]{{2,}}')),
  count(*) FILTER (WHERE city IS NOT NULL AND city NOT IN ({cities})),
  count(*) FILTER (WHERE amount < 0),
  count(*) FILTER (WHERE amount > 100000),
  count(*) FILTER (WHERE created_at > CAST(current_date + 1 AS TIMESTAMP)),
  CAST(max(updated_at) AS VARCHAR)
FROM {source}
"""
con = duckdb.connect(":memory:")
row = con.execute(query).fetchone()
print("duckdb: 15 checks in one query: " + " ".join(f"{i + 1}={v}" for i, v in enumerate(row)),
      file=sys.stderr)
