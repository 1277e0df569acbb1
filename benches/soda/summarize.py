"""Median / min table of run.sh's results.tsv, over all runs and over undisturbed runs.

    python3 summarize.py /tmp/soda-bench.XXXXXX/results.tsv

A run counts as undisturbed when other processes used under 10 % of its wall time in CPU
(one busy neighbour on this 2-core host shows up as about 1 s per second of wall time).
Slowdowns from outside the VM do not show up there; only interleaving evens those out.
"""
import csv
import re
import statistics as st
import sys

rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
ok_exit = {"steward-15": {"0", "1"}, "steward-29": {"0", "1"}}
order = ["soda", "soda-view", "steward-15", "steward-29", "duckdb", "duckdb-load"]


def table(title, keep):
    print(f"\n{title}\n")
    print("| tool | format | runs | wall median | wall min | peak RSS median | peak RSS min "
          "| CPU median | in-process median | Soda import / load / verify (median) | others' CPU median |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for fmt in ["csv", "parquet"]:
        for tool in order:
            rs = [r for r in rows if r["format"] == fmt and r["tool"] == tool and keep(r)]
            if not rs:
                print(f"| {tool} | {fmt} | 0 | | | | | | | | |")
                continue
            wall = [float(r["wall_s"]) for r in rs]
            rss = [int(r["peak_rss_kib"]) / 1024 for r in rs]
            cpu = [float(r["cpu_s"]) for r in rs]
            other = [float(r["other_cpu_s"]) for r in rs]
            bad = [r["exit"] for r in rs if r["exit"] not in ok_exit.get(tool, {"0"})]
            inproc, split = "", ""
            soda = [re.search(r"import ([0-9.]+)s load ([0-9.]+)s verify ([0-9.]+)s", r["note"]) for r in rs]
            soda = [[float(x) for x in m.groups()] for m in soda if m]
            if soda:
                split = " / ".join(f"{st.median(c):.2f}" for c in zip(*soda)) + " s"
                inproc = f"{st.median(p[1] + p[2] for p in soda):.2f} s"
            stew = [float(m.group(1)) for r in rs if (m := re.search(r"in-process ([0-9.]+)s", r["note"]))]
            if stew:
                inproc = f"{st.median(stew):.2f} s"
            print(f"| {tool} | {fmt} | {len(rs)} | {st.median(wall):.2f} s | {min(wall):.2f} s "
                  f"| {st.median(rss):.0f} MiB | {min(rss):.0f} MiB | {st.median(cpu):.2f} s | {inproc} "
                  f"| {split}{' EXIT CODES ' + ','.join(bad) if bad else ''} | {st.median(other):.2f} s |")


table("All runs", lambda r: True)
table("Undisturbed runs (others' CPU < 10 % of wall)",
      lambda r: float(r["other_cpu_s"]) < 0.1 * float(r["wall_s"]))
