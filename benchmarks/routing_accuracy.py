"""Benchmark: how often routing picks the right service (top-1 and top-3), per channel.

    .venv/bin/python benchmarks/routing_accuracy.py [--customers 1500] [--months 3] [--seed 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python benchmarks/...

Two evaluations, because they answer different questions:

1. Demo data (`frontdoor demo-data` on a scratch database): 20% of its cases held out, the
   model trained on the other 80% plus the catalogue. The demo generator writes each case's
   title as the service's name and its description as "<Channel>: <service name>", so this
   only shows that the model learns what it is shown: a near-perfect figure here says
   nothing about real email.
2. Resident wording (tests/email/routing_samples.csv): hand-written messages in residents'
   own words, none using the catalogue's names, with the service a person would choose. The
   model is trained on all the demo cases plus the catalogue (as in production) and, for
   comparison, on the catalogue alone. This is the honest figure.

"Routed" is what `route_to_service` would do: below the confidence threshold, with no team
mailbox to go on, the contact goes to the front line's general enquiry service, which counts
as a miss unless that was the expected service.
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import sys
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests/email/routing_samples.csv"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1500)
    parser.add_argument("--months", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--holdout", type=float, default=0.2)
    args = parser.parse_args()
    from benchmarks._scratch_db import scratch_database

    with scratch_database() as url:
        print(f"scratch database: {url.split('@')[-1]}")
        _run(args)


def _run(args: argparse.Namespace) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdoor.settings")
    django.setup()
    from django.core.management import call_command

    from frontdoor.cases.models import Case
    from frontdoor.cases.routing import Example, RoutingModel
    from frontdoor.council.actions import load_council_config
    from frontdoor.council.queries import current_council, forget_council_cache

    load_council_config(source="north-norfolk", now=datetime.now(UTC))
    forget_council_cache()
    call_command("demo_data", customers=args.customers, months=args.months, seed=args.seed,
                 quiet=True)
    council = current_council()
    rows = list(Case.objects.exclude(service_code="")
                .values_list("channel", "title", "description", "service_code"))
    print(f"demo data: {len(rows)} cases over {len({r[3] for r in rows})} services")
    random.Random(args.seed).shuffle(rows)
    cut = int(len(rows) * (1 - args.holdout))
    train, test = rows[:cut], rows[cut:]

    model = RoutingModel.train(council=council, examples=[
        Example(f"{t}\n{d}", s) for _, t, d, s in train])
    print(f"\n1. Demo data, {len(test)} held-out cases (trained on {len(train)} + catalogue)")
    _report([(ch, f"{t}\n{d}", None, s) for ch, t, d, s in test], model)
    print("   the same cases, description only (title = the service name is hidden)")
    _report([(ch, d, None, s) for ch, _t, d, s in test], model)

    with SAMPLES.open(newline="") as handle:
        written = [(r["channel"], r["text"], r["to_address"] or None, r["expected_service"])
                   for r in csv.DictReader(handle)]
    full = RoutingModel.train(council=council, examples=[
        Example(f"{t}\n{d}", s) for _, t, d, s in rows])
    catalogue_only = RoutingModel.train(council=council, examples=[])
    print(f"\n2. Resident wording, {len(written)} hand-written messages "
          f"({SAMPLES.relative_to(ROOT)})")
    print("   model trained on all demo cases + catalogue:")
    _report(written, full, show_misses=True)
    print("   model trained on the catalogue alone:")
    _report(written, catalogue_only)


def _report(items: list[tuple[str, str, str | None, str]], model: object,
            show_misses: bool = False) -> None:
    from frontdoor.cases.routing import RoutingModel

    assert isinstance(model, RoutingModel)
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # n, top1, top3, routed
    misses: list[str] = []
    for channel, text, to_address, expected in items:
        ranked = [code for code, _ in model.ranked(text, to_address)[:3]]
        routed = model.guess(text, to_address).service_code
        for key in (channel, "overall"):
            row = tally[key]
            row[0] += 1
            row[1] += ranked[0] == expected
            row[2] += expected in ranked
            row[3] += routed == expected
        if routed != expected:
            misses.append(f"      expected {expected}, routed {routed} "
                          f"(top-3 {', '.join(ranked)}): {text[:70]!r}")
    print(f"   {'channel':<14}{'n':>6}{'top-1':>9}{'top-3':>9}{'routed':>9}")
    for key in sorted(tally, key=lambda k: (k == "overall", k)):
        n, one, three, routed = tally[key]
        print(f"   {key:<14}{n:>6}{one / n:>9.1%}{three / n:>9.1%}{routed / n:>9.1%}")
    if show_misses and misses:
        print(f"   misses ({len(misses)}):")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
