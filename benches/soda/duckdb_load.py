"""The plain DuckDB read behind Soda's load step: decode every column of FILE into a table.

    python duckdb_load.py FILE      # prints the row count to stderr
"""
import sys

import duckdb

f = sys.argv[1].replace("'", "''")
reader = "read_parquet" if f.endswith(".parquet") else "read_csv_auto"
con = duckdb.connect(":memory:")
con.execute(f"CREATE TABLE t AS SELECT * FROM {reader}('{f}')")
print(f"duckdb: {con.execute('SELECT count(*) FROM t').fetchone()[0]} rows", file=sys.stderr)
