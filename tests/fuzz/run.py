"""The long fuzz run (``make fuzz``): each target for N minutes of hypothesis examples.

``python -m tests.fuzz.run [--minutes N] [--targets reader_any,dates,coder] [--seed S]
[--out FILE]``. Prints, per target, the inputs tried, the distinct failures found and the
rate; exits with status 1 when any target failed. Hypothesis prints each failing input
(shrunk) with a blob to reproduce it (``@reproduce_failure``).
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
import traceback
import warnings
from pathlib import Path

from .strategies import Strategies
from .targets import TARGETS, Tally, hypothesis_test
from .vocab import Vocabulary

MIN_CHUNK, MAX_CHUNK = 10, 1000


def fuzz_target(name: str, seconds: float, strategies: Strategies,
                seed: int | None = None, log=print) -> dict:
    """Run one target for ``seconds``; its figures."""
    target = TARGETS[name]
    started = time.perf_counter()
    state = target.setup()
    setup_s = time.perf_counter() - started
    tally = Tally()
    distinct: dict[str, str] = {}
    t0 = time.perf_counter()
    rounds = 0
    try:
        while True:
            elapsed = time.perf_counter() - t0
            left = seconds - elapsed
            if left <= 0:
                break
            if tally.tried:  # as many as fit in the time left, at the rate seen so far
                per_example = elapsed / tally.tried
                chunk = int(max(MIN_CHUNK, min(MAX_CHUNK, left / max(per_example, 1e-4))))
            else:
                chunk = MIN_CHUNK
            test = hypothesis_test(target, state, strategies, tally, chunk,
                                   seed=None if seed is None else seed + rounds)
            rounds += 1
            try:
                test()
            except Exception as exc:  # noqa: BLE001  a failure found: note it, keep fuzzing
                key = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                if key not in distinct:
                    distinct[key] = "".join(traceback.format_exception(exc))[-3000:]
                    log(f"!! {name}: {key}")
                tally.failures.append(key)
    finally:
        state.close()
    run_s = time.perf_counter() - t0
    return {"target": name, "what": target.what, "inputs": tally.tried,
            "outputs": tally.outputs, "output": target.output,
            "failing_runs": len(tally.failures), "distinct_failures": len(distinct),
            "failures": list(distinct), "tracebacks": list(distinct.values()),
            "seconds": round(run_s, 1), "setup_seconds": round(setup_s, 1),
            "inputs_per_second": round(tally.tried / run_s, 1) if run_s else 0.0}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.fuzz.run", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=2.0,
                        help="minutes per target (default 2)")
    parser.add_argument("--targets", default=",".join(TARGETS),
                        help=f"comma-separated, of: {', '.join(TARGETS)}")
    parser.add_argument("--seed", type=int, default=None, help="make the run repeatable")
    parser.add_argument("--out", default="bench/out/fuzz.json", help="figures as JSON here")
    args = parser.parse_args(argv)
    # parsers warn about the odd inputs they are fed (that is the point); keep the log short
    warnings.simplefilter("ignore")
    logging.disable(logging.CRITICAL)
    names = [n.strip() for n in args.targets.split(",") if n.strip()]
    unknown = [n for n in names if n not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    strategies = Strategies(Vocabulary.load())
    results = []
    for name in names:
        print(f"== {name}: {TARGETS[name].what} ({args.minutes:g} min)", flush=True)
        res = fuzz_target(name, args.minutes * 60, strategies, args.seed)
        results.append(res)
        print(f"   {res['inputs']:,} inputs ({res['outputs']:,} {res['output']}), "
              f"{res['distinct_failures']} distinct failure(s), {res['inputs_per_second']:,}/s",
              flush=True)
    total = sum(r["inputs"] for r in results)
    failed = [r for r in results if r["distinct_failures"]]
    print(f"\n{'target':<14}{'inputs':>10}{'failures':>10}{'per s':>9}")
    for r in results:
        print(f"{r['target']:<14}{r['inputs']:>10,}{r['distinct_failures']:>10}"
              f"{r['inputs_per_second']:>9,}")
    print(f"{'total':<14}{total:>10,}{sum(r['distinct_failures'] for r in results):>10}")
    if args.out:
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps({"minutes_per_target": args.minutes, "seed": args.seed,
                                   "targets": results}, indent=2))
        print(f"figures written to {out}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
