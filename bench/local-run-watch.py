#!/usr/bin/env python3
"""Watches a running `./run-local.sh` (fixed ports) once a minute and prints one Markdown row per minute:

    python3 bench/local-run-watch.py [minutes]        (default 60)

Columns: trades produced per second over the minute, ticks skipped so far, the detector's highest consumer lag, the
producer's mean PutRecords time over the minute, the emulators' CPU over the minute and RSS. The figures of the
"long local run" in docs/performance.md come from this script.
"""
import os
import re
import sys
import time
import urllib.request

PRODUCER, DETECTOR, ARCHIVER = 8081, 8082, 8083
TICK = os.sysconf("SC_CLK_TCK")


def metrics(port):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/actuator/prometheus", timeout=5) as response:
            return response.read().decode()
    except OSError:
        return ""


def total(text, name):
    values = [float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
              if line.startswith(name + "{") or line.startswith(name + " ")]
    return sum(values), (max(values) if values else 0.0)


def emulator_pids():
    pids = {}
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read().decode(errors="replace")
        except OSError:
            continue
        if "kinesis-local" in cmd and "main.js" in cmd:
            pids["kinesis"] = int(pid)
        elif "dynalite" in cmd and "cli.js" in cmd:
            pids["dynamo"] = int(pid)
    return pids


def cpu_and_rss(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICK
    with open(f"/proc/{pid}/status") as f:
        rss = int(re.search(r"VmRSS:\s+(\d+)", f.read()).group(1)) / 1024
    return cpu, rss


def sample():
    p, d = metrics(PRODUCER), metrics(DETECTOR)
    pids = emulator_pids()
    return {
        "time": time.time(),
        "produced": total(p, "trades_produced_total")[0],
        "skipped": total(p, "producer_ticks_skipped_total")[0],
        "put_sum": total(p, "kinesis_put_records_seconds_sum")[0],
        "put_count": total(p, "kinesis_put_records_seconds_count")[0],
        "lag": total(d, "kcl_millis_behind_latest")[1],
        "emulators": {name: cpu_and_rss(pid) for name, pid in pids.items()},
    }


def main(minutes):
    print("| minute | trades/s | ticks skipped (total) | detector lag max | PutRecords mean | kinesis CPU % / RSS MB "
          "| dynalite CPU % / RSS MB |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    before = sample()
    for minute in range(1, minutes + 1):
        time.sleep(60)  # a once-a-minute sampler of a running system
        now = sample()
        wall = now["time"] - before["time"]
        puts = now["put_count"] - before["put_count"]
        put_mean = (now["put_sum"] - before["put_sum"]) / puts * 1000 if puts else float("nan")
        cells = []
        for name in ("kinesis", "dynamo"):
            if name in now["emulators"] and name in before["emulators"]:
                cpu = (now["emulators"][name][0] - before["emulators"][name][0]) / wall * 100
                cells.append(f"{cpu:.0f} / {now['emulators'][name][1]:.0f}")
            else:
                cells.append("–")
        print(f"| {minute} | {(now['produced'] - before['produced']) / wall:.0f} | {now['skipped']:.0f} "
              f"| {now['lag']:.0f} ms | {put_mean:.0f} ms | {cells[0]} | {cells[1]} |", flush=True)
        before = now


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
