"""`make bench`: runs every benchmark module in turn and prints its figures.

`python -m bench.run [--quick] [--data DIR] [NAME ...]` (names: ingest, coder, coder_quality,
actors, geo, dedup, api, web, scale, load, store, concurrency). The corpora are the bundled
ones in tests/data unless ``--data DIR`` names a larger folder in the same layout (e.g.
../shared/dev-data; see ``bench/data.py``).
"""

from __future__ import annotations

import argparse
import importlib
import json
import time
from pathlib import Path

ORDER = ["ingest", "coder", "coder_quality", "actors", "geo", "dedup", "api", "web", "scale", "load",
         "store", "concurrency"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("names", nargs="*", default=ORDER)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--out", default="bench/out/results.json")
    parser.add_argument("--data", metavar="DIR",
                        help="a larger corpus folder (india-police-events/, re3d/) instead of "
                             "the bundled tests/data, e.g. ../shared/dev-data")
    args = parser.parse_args()
    from bench import data

    if args.data:
        data.use(args.data)
    corpora = {"india-police-events": data.describe(data.ipe_dir()),
               "re3d": data.describe(data.re3d_dir())}
    for name, where in corpora.items():
        print(f"corpus {name}: {where}")
    print()
    results: dict = {"corpora": corpora}
    for name in args.names:
        t = time.perf_counter()
        try:
            module = importlib.import_module(f"bench.{name}")
            results[name] = module.run(quick=args.quick)
        except Exception as exc:  # noqa: BLE001  one failing benchmark must not hide the others
            print(f"!! bench {name} failed: {exc!r}")
            results[name] = {"error": repr(exc)}
        print(f"   ({name}: {time.perf_counter() - t:.1f} s)\n")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"figures written to {out}")


if __name__ == "__main__":
    main()
