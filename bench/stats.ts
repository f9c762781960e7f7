export interface LatencySummary {
  p50: number;
  p99: number;
}

/** Latency samples in milliseconds (sub-millisecond precision), summarised by nearest-rank percentiles. */
export class Samples {
  private values: number[] = [];

  add(ms: number): void {
    this.values.push(ms);
  }

  get count(): number {
    return this.values.length;
  }

  /** NaN percentiles when there are no samples. */
  summary(): LatencySummary {
    const sorted = Float64Array.from(this.values).sort();
    const at = (p: number) => {
      if (sorted.length === 0) return Number.NaN;
      return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
    };
    return { p50: round(at(50)), p99: round(at(99)) };
  }
}

export function round(value: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
