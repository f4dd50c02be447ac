from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _


def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


class Command(BaseCommand):
    help = _(
        "Report the held-out evaluation of the case router in use: per source agency top-1/top-3, what the "
        "routing rule routes alone (coverage and precision), per-agency precision and recall, the confusion "
        "and the reliability table; and its figures on the hand-written set."
    )

    def add_arguments(self, parser):
        parser.add_argument("--confusion", action="store_true", help="also print the agency confusion")

    def handle(self, *args, **options):
        from django.utils import timezone

        from rdec.analytics import routing
        from rdec.analytics.rules import routing_rule_for
        from rdec.analytics.selectors import active_router

        router = active_router()
        evaluation = getattr(router, "evaluation", None)
        if not evaluation:
            self.stdout.write(
                _(
                    "The router in use has no held-out evaluation by source (trained without the broad corpus)."
                )
            )
        else:
            rule = routing_rule_for(timezone.localdate())
            threshold = rule.auto_route_min_pct / 100
            self.stdout.write(
                _("Trained on %(t)s texts, calibrated on %(c)s, tested on %(n)s held-out texts.")
                % {
                    "t": evaluation["trained_on"],
                    "c": evaluation["calibrated_on"],
                    "n": evaluation["tested_on"],
                }
            )
            for name, m in evaluation["sources"].items():
                at = next((a for a in m["abstention"] if abs(a["threshold"] - threshold) < 1e-9), None)
                line = _("%(source)s (%(n)s texts): agency top-1 %(a1).1f%%, top-3 %(a3).1f%%") % {
                    "source": name,
                    "n": m["tested_on"],
                    "a1": m["agency_top1"] * 100,
                    "a3": m["agency_top3"] * 100,
                }
                if at and at["precision"] is not None:
                    line += _(
                        "; at %(t)s%% confidence it routes %(cov).1f%% alone with %(p).1f%% precision"
                    ) % {
                        "t": rule.auto_route_min_pct,
                        "cov": at["coverage"] * 100,
                        "p": at["precision"] * 100,
                    }
                self.stdout.write(line + ".")
                first = routing.first_level_summary(m)
                at_first = next(
                    (a for a in first.get("abstention", []) if abs(a["threshold"] - threshold) < 1e-9), None
                )
                line = "  " + _(
                    "At first level (second-level agencies folded into their first-level agency): "
                    "agency top-1 %(a1).1f%%, top-3 %(a3)s"
                ) % {"a1": first["agency_top1"] * 100, "a3": percent(first["agency_top3"])}
                if at_first and at_first["precision"] is not None:
                    line += _("; precision of what it routes alone %(p).1f%%") % {
                        "p": at_first["precision"] * 100
                    }
                self.stdout.write(line + ".")
            everything = evaluation["sources"]["all"]
            self.stdout.write(_("Per agency (all held-out texts): texts, precision, recall"))
            self.write_per_agency(everything["per_agency"])
            first = routing.first_level_summary(everything)
            self.stdout.write(_("Per first-level agency (all held-out texts): texts, precision, recall"))
            self.write_per_agency(first["per_agency"])
            self.stdout.write(_("Abstention (all held-out texts): threshold, coverage, precision"))
            at_first = {a["threshold"]: a for a in first.get("abstention", [])}
            for a in everything["abstention"]:
                p = "—" if a["precision"] is None else f"{a['precision'] * 100:.1f}%"
                line = f"  {a['threshold']:.2f} {a['coverage'] * 100:6.1f}% {p:>7}"
                if a["threshold"] in at_first:
                    line += " " + _("(first level %(p)s)") % {
                        "p": percent(at_first[a["threshold"]]["precision"])
                    }
                self.stdout.write(line)
            self.stdout.write(_("Reliability: confidence bin, texts, mean confidence, share right"))
            for r in everything["reliability"]:
                self.stdout.write(
                    f"  {r['low']:.1f}–{r['high']:.1f} {r['n']:>6} {r['confidence']:.3f} {r['right']:.3f}"
                )
            if options["confusion"]:
                self.stdout.write(_("Confusion (right agency: first suggestions)"))
                for expected, row in sorted(everything["confusion"].items()):
                    cells = ", ".join(f"{k} {v}" for k, v in sorted(row.items(), key=lambda kv: -kv[1]))
                    self.stdout.write(f"  {expected}: {cells}")
        cases = routing.handwritten()
        hand = routing.evaluate(
            router, [c["text"] for c in cases], [c["category"] for c in cases], [c["agency"] for c in cases]
        )
        self.stdout.write(
            _("Hand-written set (%(n)s texts, never trained on): agency top-1 %(a1).1f%%, top-3 %(a3).1f%%.")
            % {"n": hand["tested_on"], "a1": hand["agency_top1"] * 100, "a3": hand["agency_top3"] * 100}
        )
        self.stdout.write(
            "  "
            + _(
                "At first level (second-level agencies folded into their first-level agency): "
                "agency top-1 %(a1).1f%%, top-3 %(a3)s"
            )
            % {
                "a1": hand["first_level"]["agency_top1"] * 100,
                "a3": percent(hand["first_level"]["agency_top3"]),
            }
            + "."
        )

    def write_per_agency(self, per_agency: dict) -> None:
        for agency, row in sorted(per_agency.items(), key=lambda kv: -kv[1]["support"]):
            p = percent(row["precision"])
            r = percent(row["recall"])
            self.stdout.write(f"  {agency:<22} {row['support']:>6} {p:>7} {r:>7}")
