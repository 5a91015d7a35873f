"""Shared measuring: repeated runs, medians and spread, rows for the report."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
import timeit
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Row:
    """One line of BENCHMARKS.md: a sigdef figure beside its reference, taken in the same run."""

    name: str
    sigdef: str
    reference: str
    ratio: float | None
    target: str
    met: bool | None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        return "n/a" if self.met is None else ("yes" if self.met else "NO")


@dataclass(frozen=True)
class Sample:
    """Median and spread (min..max) of per-call seconds."""

    median: float
    low: float
    high: float

    def us(self) -> str:
        return f"{self.median * 1e6:.2f} µs ({self.low * 1e6:.2f}–{self.high * 1e6:.2f})"

    def ms(self) -> str:
        return f"{self.median * 1e3:.1f} ms ({self.low * 1e3:.1f}–{self.high * 1e3:.1f})"


def per_call(fn: Callable[[], Any], *, number: int, repeat: int) -> Sample:
    """Seconds per call of fn: `repeat` rounds of `number` calls each."""
    fn()  # warm up caches and lazy imports
    rounds = [t / number for t in timeit.Timer(fn).repeat(repeat=repeat, number=number)]
    return Sample(statistics.median(rounds), min(rounds), max(rounds))


def interleaved(fns: dict[str, Callable[[], Any]], *, number: int, repeat: int) -> dict[str, Sample]:
    """Like per_call for several functions, alternating rounds so drift hits all alike."""
    rounds: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():
        fn()
    for _ in range(repeat):
        for key, fn in fns.items():
            rounds[key].append(timeit.Timer(fn).timeit(number=number) / number)
    return {k: Sample(statistics.median(v), min(v), max(v)) for k, v in rounds.items()}


def process_wall(argv: list[str], *, repeat: int, env: dict[str, str] | None = None) -> Sample:
    """Wall seconds of running a process to completion."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return Sample(statistics.median(times), min(times), max(times))


def python(*code: str) -> list[str]:
    return [sys.executable, "-c", "\n".join(code)]


def tensorflow() -> Any | None:
    """TensorFlow, if installed (the `bench-tf` extra); None otherwise."""
    try:
        import tensorflow as tf  # noqa: PLC0415

        return tf
    except ImportError:
        return None
