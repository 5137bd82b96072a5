#!/usr/bin/env python3
"""Turns bench/run's results.jsonl into summary.json, summary.md (ratios ours / peer, targets) and the chart data.

Usage: summarize.py RESULTS_DIR
"""
import json
import math
import pathlib
import re
import sys

out = pathlib.Path(sys.argv[1])
rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines() if line.strip()]
values = {}  # (metric, service) -> value
units = {}
order = []
for r in rows:
    key = (r["metric"], r["service"])
    values[key] = r["value"]
    units[r["metric"]] = r["unit"]
    if r["metric"] not in order:
        order.append(r["metric"])


def get(metric, service):
    return values.get((metric, service))


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def fmt(v):
    if v is None:
        return "–"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:,.3g}" if abs(v) < 100 else f"{v:,.0f}"
    return f"{int(v):,}"


# Figures where the service sent a sentinel -1 mean "never reached within the cap".
def shown(metric, service):
    v = get(metric, service)
    if v == -1 and metric.endswith("_ms"):
        return "never (cap)"
    if metric == "paused_single_ms" and get("paused_single_status", service) == 0:
        return f"≥ {fmt(v)} (no answer)"
    return fmt(v)


table = []
for metric in order:
    if metric.startswith("jmh_"):
        continue
    ours, peer, nocache = get(metric, "ours"), get(metric, "peer"), get(metric, "ours-nocache")
    r = ratio(ours, peer) if (ours is not None and ours >= 0 and peer is not None and peer > 0) else None
    table.append({"metric": metric, "unit": units[metric], "ours": ours, "peer": peer,
                  "ours_nocache": nocache, "ratio_ours_over_peer": r})

jmh = {m: get(m, "jmh") for m in order if m.startswith("jmh_") and not m.endswith("_error")}
jmh_error = {m: get(m + "_error", "jmh") for m in jmh}
jmh_ratios = {}
for op in ("Get", "Set"):
    ours, raw = jmh.get(f"jmh_redisClient{op}"), jmh.get(f"jmh_lettuce{op}")
    jmh_ratios[op.upper()] = ratio(ours, raw)

# The targets the first version set (docs/benchmarks.md, "Targets").
targets = []


def target(name, ok, figure):
    targets.append({"target": name, "met": ok, "figure": figure})


have_ours = get("health_rps", "ours") is not None
STARTS = sum(1 for line in (out / "startup.txt").read_text().splitlines() if line.startswith("ours ")) \
    if (out / "startup.txt").exists() else 0
if have_ours:
    h, live, peer_h = get("health_rps", "ours"), get("live_rps", "ours"), get("health_rps", "peer")
    r_live, r_peer = ratio(h, live), ratio(h, peer_h)
    # Per alternating round too: when the rounds fall on both sides of the bar, one run cannot settle the target.
    rounds = sorted({m.rsplit("_", 1)[1] for m, svc in values if m.startswith("health_rps_r") and svc == "ours"})

    def per_round(metric_a, svc_a, metric_b, svc_b):
        rs = [ratio(get(f"{metric_a}_{r}", svc_a), get(f"{metric_b}_{r}", svc_b)) for r in rounds]
        return [r for r in rs if r is not None]

    def against(overall, rs, bar):
        if overall is None:
            return None
        if overall >= bar:
            return True if all(r >= bar for r in rs) else "rounds disagree"
        return False if all(r < bar for r in rs) else "rounds disagree"

    def with_rounds(text, rs, digits):
        return text + (f"; rounds: {', '.join(f'{r:.{digits}f}x' for r in rs)}" if rs else "")

    live_rounds = per_round("health_rps", "ours", "live_rps", "ours")
    target("cached /health >= 0.8x our /health/live throughput", against(r_live, live_rounds, 0.8),
           with_rounds(f"{r_live:.2f}x ({fmt(h)} vs {fmt(live)} req/s)", live_rounds, 2) if r_live else "n/a")
    peer_rounds = per_round("health_rps", "ours", "health_rps", "peer")
    target("cached /health >= 50x the peer's throughput", against(r_peer, peer_rounds, 50),
           with_rounds(f"{r_peer:.1f}x ({fmt(h)} vs {fmt(peer_h)} req/s)", peer_rounds, 1) if r_peer else "n/a")
    # Every command the service sent (PING, ROLE, ...) counts; only the benchmark's own INFO / CONFIG / CLIENT LIST
    # are left out (the same rule as bench/run's service_commands).
    own = re.compile(r"^cmdstat_(info|config([|].*)?|client([|]list)?)$")

    def commands_by_name(info_file):
        f = out / info_file
        if not f.exists():
            return {}
        found = {}
        for line in f.read_text().splitlines():
            m = re.match(r"^(cmdstat_[^:]+):calls=(\d+)", line)
            if m and not own.match(m.group(1)):
                found[m.group(1)[len("cmdstat_"):]] = int(m.group(2))
        return found

    load_cmds, per1000 = get("load_redis_commands", "ours"), get("redis_commands_per_1000", "ours")
    load_s, ttl_s = get("load_phase_s", "ours"), get("health_success_ttl_s", "ours")
    # A phase of D seconds can touch at most floor(D / TTL) + 1 cache windows (one if it is shorter than the TTL),
    # and each window may cost one check, i.e. one command.
    windows = math.floor(load_s / ttl_s) + 1 if load_s is not None and ttl_s and ttl_s > 0 else None
    held, new = get("connections_held", "ours"), get("new_connections_per_1000", "ours")
    cmd_ok = None if load_cmds is None or windows is None or per1000 is None else \
        (load_cmds <= windows and per1000 <= 1)
    conn_ok = None if held is None or new is None else (held == 1 and new == 0)
    by_name = commands_by_name("redis-info-after-load-ours.txt")
    target("<= 1 Redis command per TTL window, one connection in total",
           None if cmd_ok is None or conn_ok is None else (cmd_ok and conn_ok),
           f"{fmt(load_cmds)} command(s) ({' + '.join(f'{v} {k.upper()}' for k, v in by_name.items()) or 'none'}) "
           f"during {fmt(get('load_health_requests', 'ours'))} /health requests in a {fmt(load_s)} s load phase, "
           f"i.e. at most {fmt(windows)} TTL window(s) of {fmt(ttl_s)} s; {fmt(per1000)} per 1,000 sequential; "
           f"connections: {fmt(held)} held, {fmt(new)} new per 1,000 requests")
    worst = []
    for svc in ("ours", "ours-nocache"):
        for m in ("paused_single_ms", "paused_latency_max"):
            if get(m, svc) is not None:
                worst.append((get(m, svc), f"{svc} {m}"))
    w = max(worst) if worst else (None, "")
    target("every answer <= 1 s with Redis paused", w[0] is not None and w[0] <= 1000 and
           (get("paused_timeouts", "ours") or 0) == 0 and (get("paused_timeouts", "ours-nocache") or 0) == 0,
           f"worst {fmt(w[0])} ms ({w[1]})")
    if all(v is not None for v in jmh_ratios.values()):
        met = all(v >= 0.95 for v in jmh_ratios.values())
        if not met:
            # A miss whose 99.9 % intervals overlap raw Lettuce's at 0.95x is noise, not a measured overhead.
            def overlaps(op):
                c, r = f"jmh_redisClient{op}", f"jmh_lettuce{op}"
                return jmh[c] + jmh_error[c] >= 0.95 * (jmh[r] - jmh_error[r])
            if all(overlaps(op) for op in ("Get", "Set")):
                met = "inconclusive"
        target("redis-client >= 0.95x raw Lettuce", met,
               ", ".join(f"{k} {v:.3f}x" for k, v in jmh_ratios.items())
               + " (± " + ", ".join(f"{k[4:]} {100 * jmh_error[k] / jmh[k]:.0f} %" for k in jmh) + ")")
    else:
        target("redis-client >= 0.95x raw Lettuce", None, "JMH not run")
    # "No worse": strictly better is a yes; within TIE of the peer is reported as a tie (run-to-run noise
    # on this kind of machine is larger than that), not silently counted as met.
    TIE = 0.05

    def no_worse(a, b):
        if a is None or b is None:
            return None
        return True if a <= b else ("tie" if a <= b * (1 + TIE) else False)

    s_o, s_p = get("startup_to_ready_ms", "ours"), get("startup_to_ready_ms", "peer")
    target("launch-to-ready no worse than the peer's", no_worse(s_o, s_p),
           f"{fmt(s_o)} vs {fmt(s_p)} ms ({ratio(s_o, s_p):.3f}x, medians of {STARTS} launches)")
    m_o, m_p = get("rss_mb", "ours"), get("rss_mb", "peer")
    target("RSS no worse than the peer's", no_worse(m_o, m_p),
           f"{fmt(m_o)} vs {fmt(m_p)} MiB ({ratio(m_o, m_p):.2f}x)")

summary = {"table": table, "jmh": jmh, "jmh_error": jmh_error, "jmh_ratio_redis_client_over_lettuce": jmh_ratios, "targets": targets,
           "machine": (out / "machine.txt").read_text() if (out / "machine.txt").exists() else None}
(out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")

md = ["| figure | unit | ours | peer | ours ÷ peer | ours, cache off |", "|---|---|---:|---:|---:|---:|"]
for row in table:
    m = row["metric"]
    md.append(f"| {m} | {row['unit']} | {shown(m, 'ours')} | {shown(m, 'peer')} | "
              f"{'–' if row['ratio_ours_over_peer'] is None else format(row['ratio_ours_over_peer'], '.3g')} | "
              f"{shown(m, 'ours-nocache') if row['ours_nocache'] is not None else ''} |")
if jmh:
    md += ["", "| JMH benchmark | ops/s | ± (99.9 %) |", "|---|---:|---:|"]
    md += [f"| {k[4:]} | {fmt(v)} | {fmt(jmh_error[k])} |" for k, v in jmh.items()]
    md += [f"| ratio redis-client ÷ Lettuce, {k} | {'–' if v is None else format(v, '.3f')} | |"
           for k, v in jmh_ratios.items()]
if targets:
    md += ["", "| target | met | figure |", "|---|---|---|"]
    def verdict(met):
        return {True: "yes", False: "**no**", None: "n/a", "tie": "tie (< 5 % apart)",
                "inconclusive": "inconclusive (error bars overlap)",
                "rounds disagree": "inconclusive (rounds on both sides of the bar)"}[met]
    md += [f"| {t['target']} | {verdict(t['met'])} | {t['figure']} |" for t in targets]
(out / "summary.md").write_text("\n".join(md) + "\n")

# Chart data: /health latency percentiles (ms) per series.
series = [("ours /health", "wrk-ours-health.json"), ("peer /health", "wrk-peer-health.json"),
          ("ours /health/live", "wrk-ours-live.json"), ("peer /health/liveness", "wrk-peer-live.json")]
present = [(name, json.loads((out / f).read_text())) for name, f in series
           if (out / f).exists() and (out / f).read_text().strip()]
pcts = ["p50", "p75", "p90", "p95", "p99", "p99.9", "p99.99", "max"]
lines = ["percentile " + " ".join(f'"{n}"' for n, _ in present)]
for p in pcts:
    lines.append(f"{p[1:] if p != 'max' else 'max'} " + " ".join(
        f"{d['latency_us'][p] / 1000:.3f}" for _, d in present))
(out / "health-latency.dat").write_text("\n".join(lines) + "\n")
(out / "health-latency.titles").write_text("\n".join(n for n, _ in present) + "\n")

print((out / "summary.md").read_text())
