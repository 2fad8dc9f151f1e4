// What several benchmarks measure the same way: a bounded pool of calls (seeding), the latency of
// sequential requests, and a process's memory.
import { readFileSync } from 'node:fs';

export const round1 = (n: number) => Math.round(n * 10) / 10;
export const seconds = (ms: number) => Math.round(ms) / 1000;

/** Runs `each` for from..to-1, `concurrency` at a time (the next index as one ends). */
export const inParallel = async (from: number, to: number, concurrency: number, each: (i: number) => Promise<void>) => {
  let next = from;
  const worker = async () => {
    for (let i = next++; i < to; i = next++) await each(i);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
};

/** The median of ascending `sorted`: its middle value, or the mean of its two middle values. */
export const median = (sorted: readonly number[]) => {
  const mid = sorted.length / 2;
  return Number.isInteger(mid) ? (sorted[mid - 1]! + sorted[mid]!) / 2 : sorted[Math.floor(mid)]!;
};

/** The `q` quantile of ascending `sorted` by nearest rank, the ceil(q x n)-th value: p95 of 20 is the 19th. */
export const nearestRank = (sorted: readonly number[], q: number) => sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;

export interface Latency {
  median: number;
  p99: number;
  max: number;
  /** The three slowest requests and their places in the run (1: the first): the run's start (a cold path) or anywhere (the machine). */
  slowest: { ms: number; at: number }[];
}

/** `n` GETs of `url`, one after another (each answer read to its end); a non-2xx answer fails the run. */
export const timeRequests = async (url: string, n: number): Promise<Latency> => {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    await res.arrayBuffer();
    ms.push(performance.now() - started);
  }
  const slowest = ms
    .map((t, i) => ({ ms: t, at: i + 1 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 3);
  ms.sort((a, b) => a - b);
  return { median: ms[Math.floor(n / 2)]!, p99: ms[Math.ceil(n * 0.99) - 1]!, max: ms[n - 1]!, slowest };
};

/** A process's resident memory now and at its peak (VmRSS, VmHWM of /proc/<pid>/status), in MB. */
export const memoryOf = (pid: number) => {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rssMb: round1(kb('VmRSS') / 1024), peakMb: round1(kb('VmHWM') / 1024) };
};
