#!/usr/bin/env python3
"""The Autobahn WebSocket testsuite against `aio serve`'s /ws (wstest's fuzzingclient).

    python autobahn.py --url http://127.0.0.1:PORT --wstest .venv-wstest/bin/wstest \
        [--cases 1-10] [--report DIR]

Runs the groups given (a range of top-level case numbers, or "all"), prints the counts per
behavior and every case not OK or INFORMATIONAL, and exits 1 when there is one: a FAILED,
NON-STRICT or UNIMPLEMENTED case fails the run.
"""
import argparse
import collections
import json
import os
import subprocess
import sys
import tempfile


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--wstest", required=True)
    parser.add_argument("--cases", default="1-10")
    parser.add_argument("--report")
    parser.add_argument("--timeout", type=int, default=1100)
    args = parser.parse_args()

    if args.cases == "all":
        cases = ["*"]
    else:
        low, high = (int(part) for part in args.cases.split("-"))
        cases = [f"{group}.*" for group in range(low, high + 1)]
    report = args.report or tempfile.mkdtemp(prefix="autobahn-")
    ws_url = args.url.replace("http://", "ws://").rstrip("/") + "/ws"
    config = {
        "outdir": report,
        "servers": [{"agent": "swift-aiohttp", "url": ws_url}],
        "cases": cases,
        "exclude-cases": [],
        "exclude-agent-cases": {},
    }
    config_path = os.path.join(report, "fuzzingclient.json")
    os.makedirs(report, exist_ok=True)
    with open(config_path, "w") as handle:
        json.dump(config, handle)
    run = subprocess.run(
        [args.wstest, "-m", "fuzzingclient", "-s", config_path],
        cwd=report,
        capture_output=True,
        text=True,
        timeout=args.timeout,
    )
    index_path = os.path.join(report, "index.json")
    if run.returncode != 0 or not os.path.exists(index_path):
        print(f"wstest failed ({run.returncode}):\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}")
        return 1
    with open(index_path) as handle:
        results = json.load(handle)["swift-aiohttp"]
    counts = collections.Counter(result["behavior"] for result in results.values())
    bad = sorted(
        (case for case, result in results.items() if result["behavior"] not in ("OK", "INFORMATIONAL")),
        key=lambda case: [int(part) for part in case.split(".")],
    )
    print(f"autobahn {args.cases}: {len(results)} cases {dict(sorted(counts.items()))}")
    for case in bad:
        result = results[case]
        print(f"  {case}: {result['behavior']} (close {result['behaviorClose']})")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
