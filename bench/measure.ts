/**
 * Side-by-side timing with tinybench. The tasks of one comparison run in the same process, in
 * several short rounds whose order rotates, and their samples are pooled: on a shared 2-core
 * machine the load drifts within seconds, so alternating keeps a ratio fair where one long run
 * per task would not.
 */
import { Bench } from 'tinybench';

export interface Timing {
  readonly samples: number;
  readonly medianMs: number;
  readonly p99Ms: number;
  /** The median of each round, in round order: pairs with the other tasks' rounds. */
  readonly roundMediansMs: readonly number[];
}

export interface MeasureOptions {
  /** Rounds; each runs every task once, in an order rotated by one from the previous round. */
  readonly rounds: number;
  /** Per task and round: run at least this long… */
  readonly timeMs: number;
  /** …and at least this many times. */
  readonly iterations: number;
  /** Warm-up before each task (JIT, caches, connections), not recorded. */
  readonly warmupTimeMs: number;
  readonly warmupIterations: number;
  /**
   * `every-round` (default) or `first-round`: for slow tasks (bcrypt), warming up once and then
   * running many one-sample rounds interleaves them finely, so a burst of load on the machine
   * falls on all of them alike.
   */
  readonly warmup?: 'every-round' | 'first-round';
}

export type BenchTask = () => unknown;

/** A task with set-up and tear-down around each of its runs (warm-up and timed), not timed. */
export interface HookedBenchTask {
  readonly fn: BenchTask;
  readonly beforeAll?: () => void;
  readonly afterAll?: () => void;
}

/** Times each task; every task must be safe to run many times. */
export async function measureSideBySide<K extends string>(
  tasks: Record<K, BenchTask | HookedBenchTask>,
  options: MeasureOptions,
): Promise<Record<K, Timing>> {
  const names = Object.keys(tasks) as K[];
  const pooled = new Map<K, number[]>(names.map((name) => [name, []]));
  const roundMedians = new Map<K, number[]>(names.map((name) => [name, []]));
  for (let round = 0; round < options.rounds; round++) {
    const bench = new Bench({
      time: options.timeMs,
      iterations: options.iterations,
      warmup: options.warmup !== 'first-round' || round === 0,
      warmupTime: options.warmupTimeMs,
      warmupIterations: options.warmupIterations,
      retainSamples: true,
      throws: true,
    });
    const order = names.map((_, i) => names[(i + round) % names.length] as K);
    for (const name of order) {
      const task = tasks[name];
      if (typeof task === 'function') bench.add(name, task);
      else bench.add(name, task.fn, { beforeAll: task.beforeAll, afterAll: task.afterAll });
    }
    await bench.run();
    for (const task of bench.tasks) {
      const result = task.result;
      if (result.state !== 'completed') throw new Error(`bench task "${task.name}" ended ${result.state}`);
      const samples = pooled.get(task.name as K);
      // A loop, not push(...): a sub-microsecond task leaves millions of samples.
      for (const sample of result.latency.samples ?? []) samples?.push(sample);
      roundMedians.get(task.name as K)?.push(median(result.latency.samples ?? []));
    }
  }
  const timings = {} as Record<K, Timing>;
  for (const name of names) timings[name] = { ...summarise(pooled.get(name) ?? []), roundMediansMs: roundMedians.get(name) ?? [] };
  return timings;
}

/**
 * `a ÷ b` as the median of the per-round ratios: each pair ran within moments of each other, so a
 * burst of load on the machine moves both, where a ratio of pooled medians would take it whole.
 */
export function pairedRatio(a: Timing, b: Timing): number {
  const ratios = roundRatios(a, b);
  return ratios.length > 0 ? median(ratios) : a.medianMs / b.medianMs;
}

/** The per-round ratios `a ÷ b`, ascending. */
export function roundRatios(a: Timing, b: Timing): number[] {
  return a.roundMediansMs
    .map((am, i) => am / (b.roundMediansMs[i] ?? Number.NaN))
    .filter(Number.isFinite)
    .sort((x, y) => x - y);
}

export function summarise(samplesMs: readonly number[]): Omit<Timing, 'roundMediansMs'> {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return { samples: sorted.length, medianMs: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99) };
}

/** Linear interpolation between closest ranks, on ascending samples. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const lower = sorted[below] ?? Number.NaN;
  const upper = sorted[Math.min(below + 1, sorted.length - 1)] ?? lower;
  return lower + (upper - lower) * (position - below);
}

export function median(values: readonly number[]): number {
  return quantile([...values].sort((a, b) => a - b), 0.5);
}
