"""How the benchmarks that press keys report them: median and worst against a target."""

from __future__ import annotations

import statistics


def print_key_latencies(
    latencies: list[tuple[float, float]], doing: str, target_ms: float, *, each: bool = False
) -> None:
    """One line for the frames written, one for them parsed by pyte too (Terminal.press)."""
    for label, index in (("frame written", 0), ("frame parsed by pyte too", 1)):
        times = [latency[index] * 1000 for latency in latencies]
        median, worst = statistics.median(times), max(times)
        print(
            f"{doing}, {label}: median {median:.1f} ms, worst {worst:.1f} ms "
            f"over {len(times)} keys "
            f"(target < {target_ms:g} ms: {'met' if worst < target_ms else 'MISSED'})"
        )
        if each:
            print("  each key, ms:", " ".join(f"{x:.0f}" for x in times))
