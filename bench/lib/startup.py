#!/usr/bin/env python3
"""The start-up row of bench/run: startup.txt (one line per launch) -> startup.json and startup.md.

Per service: median, min and max of launch -> first 200 on its readiness path, RSS and PSS at that moment, CPU time
used until then, threads; the 1-minute load average of every launch; ratios of ours to stock Quarkus (the targets:
launch-to-ready at most 0.8x, RSS at most 1.0x), on the machine's java and on ours' (quarkus-ourjvm).
"""
import json
import statistics
import sys
from pathlib import Path

out = Path(sys.argv[1])
COLUMNS = ["ms", "rss", "pss", "cpu", "threads", "load"]
runs = {}
for line in (out / "startup.txt").read_text().splitlines():
    if not line.strip() or line.startswith("#"):
        continue
    service, run, *values = line.split()
    runs.setdefault(service, []).append(dict(zip(COLUMNS, map(float, values)), run=int(run)))

rows = {}
for service, rs in runs.items():
    rows[service] = {
        c: {"median": statistics.median(r[c] for r in rs), "min": min(r[c] for r in rs), "max": max(r[c] for r in rs)}
        for c in COLUMNS
    }
    rows[service]["launches"] = len(rs)
    rows[service]["raw_ms"] = [r["ms"] for r in rs]


def ratio(a, b, c):
    if a not in rows or b not in rows:
        return None
    return rows[a][c]["median"] / rows[b][c]["median"]


ratios = {f"ours/{peer}": {c: ratio("ours", peer, c) for c in ("ms", "rss", "pss", "cpu")}
          for peer in rows if peer != "ours"}
targets = []
if "ours" in rows and "quarkus" in rows:
    r_ms, r_rss = ratio("ours", "quarkus", "ms"), ratio("ours", "quarkus", "rss")
    targets.append({"target": "launch -> ready at most 0.8x stock Quarkus (medians)", "met": r_ms <= 0.8,
                    "figure": f"{r_ms:.2f}x"})
    targets.append({"target": "RSS at ready at most 1.0x stock Quarkus (medians)", "met": r_rss <= 1.0,
                    "figure": f"{r_rss:.2f}x"})
if "ours" in rows and "quarkus-ourjvm" in rows:
    # The same targets against stock Quarkus run by ours' java: what is left when the JVM is the same.
    r_ms, r_rss = ratio("ours", "quarkus-ourjvm", "ms"), ratio("ours", "quarkus-ourjvm", "rss")
    targets.append({"target": "launch -> ready at most 0.8x stock Quarkus on ours' JVM (medians)", "met": r_ms <= 0.8,
                    "figure": f"{r_ms:.2f}x"})
    targets.append({"target": "RSS at ready at most 1.0x stock Quarkus on ours' JVM (medians)",
                    "met": r_rss <= 1.0, "figure": f"{r_rss:.2f}x"})
loads = [r["load"] for rs in runs.values() for r in rs]
summary = {"services": rows, "ratios": ratios, "targets": targets,
           "load1": {"min": min(loads), "median": statistics.median(loads), "max": max(loads)}}
(out / "startup.json").write_text(json.dumps(summary, indent=2) + "\n")


def cell(service, c, digits=0):
    v = rows[service][c]
    return f"{v['median']:,.{digits}f} ({v['min']:,.{digits}f}–{v['max']:,.{digits}f})"


md = ["| service | launches | launch → ready, ms | RSS at ready, MiB | PSS at ready, MiB | CPU until ready, ms "
      "| threads | 1-min load |",
      "|---|---:|---:|---:|---:|---:|---:|---:|"]
for service in rows:
    md.append(f"| {service} | {rows[service]['launches']} | {cell(service, 'ms')} | {cell(service, 'rss', 1)} "
              f"| {cell(service, 'pss', 1)} | {cell(service, 'cpu')} | {cell(service, 'threads')} "
              f"| {cell(service, 'load', 2)} |")
md.append("")
md.append("Median (min–max) over the launches; services alternate launch by launch.")
for name, r in ratios.items():
    md.append(f"- {name}: launch → ready {r['ms']:.2f}x, RSS {r['rss']:.2f}x, PSS {r['pss']:.2f}x, CPU {r['cpu']:.2f}x")
for t in targets:
    md.append(f"- target {t['target']}: {'met' if t['met'] else 'NOT met'} ({t['figure']})")
md.append("")
md.append("Raw launch → ready (ms), in launch order: " + "; ".join(
    f"{s} " + ", ".join(f"{v:.0f}" for v in rows[s]["raw_ms"]) for s in rows))
(out / "startup.md").write_text("\n".join(md) + "\n")
print("\n".join(md), file=sys.stderr)
