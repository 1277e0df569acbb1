"""Put Soda's and steward's results for the 15 checks side by side and check they agree.

    python3 compare.py SODA_SUMMARY.json STEWARD_REPORT.json

Both files list the checks in mapping order (README.md); the failing-row counts must be
equal, except check 15 where Soda reports the age of the newest row in days and steward
the rows older than 365 days, so only the outcomes are compared. Exit 1 on a mismatch.
"""
import json
import sys

LABELS = [
    "customer_id missing", "customer_id duplicate", "customer_id regex", "name missing",
    "gender valid values", "id_number missing", "mobile missing", "mobile regex",
    "email missing", "email regex", "city valid values", "amount >= 0", "amount <= 100000",
    "created_at not future", "updated_at fresh (365 d)",
]
soda = json.load(open(sys.argv[1]))["checks"]
steward = json.load(open(sys.argv[2]))["datasets"][0]["checks"]
ok = len(soda) == len(steward) == len(LABELS)
print(f"checks: soda {len(soda)}, steward {len(steward)}")
print(f"{'#':>2}  {'check':<26} {'soda':>16}  {'steward':>26}")
for i, label in enumerate(LABELS):
    s = soda[i] if i < len(soda) else None
    t = steward[i] if i < len(steward) else None
    s_out = "PASS" if s and s["outcome"] == "PASSED" else ("FAIL" if s and s["outcome"] == "FAILED" else "?")
    t_out = (t or {}).get("status", "?").upper()
    s_val = s["value"] if s else None
    t_val = t["failed"] if t else None
    same = s_out == t_out and (i == 14 or s_val == t_val)
    ok &= same
    sv = f"{s_val:.1f} d" if i == 14 and isinstance(s_val, float) else s_val
    print(f"{i + 1:>2}  {label:<26} {s_out} {str(sv):>11}  {t_out} {t_val!s:>9} {t['id'] if t else '':<0}"
          f"{'' if same else '   <-- MISMATCH'}")
print("agree" if ok else "DISAGREE")
sys.exit(0 if ok else 1)
