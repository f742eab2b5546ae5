// The one convention for every `pnpm bench` line, shared by the packages' benchmarks:
// - `ratio` is ours ÷ baseline as a throughput ratio (baseline time ÷ our time), so above 1 is faster;
// - it is the median of the per-round ratios of several rounds in which ours and the baseline
//   alternate, and `spread` is the lowest and highest of those per-round ratios;
// - a row that is not about speed (stored bytes, say) says its own unit and direction in `goal`.
// `pnpm bench --json` (or `node bench/x.mjs --json`) also writes the rows to bench-results/bench.json
// in the package (or the `file` a second benchmark of the package names), in the same numbers.
// - a row that misses its goal is explained after the table by the top frames of a CPU profile of our
//   side doing that row's work (`explainMisses`). `BENCH_PROFILE_ALL=1` explains every row that has a
//   goal and a profiled workload, met or not: a way to check that output without waiting for a miss.
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { profileTopFrames } from './profile-frames.mjs';

/** True when the run was asked for machine-readable results. */
export const jsonRequested = process.argv.includes('--json');

/** The rounds to run: `BENCH_ROUNDS` from the environment, or the benchmark's own default. */
export function benchRounds(fallback) {
  const rounds = Number(process.env.BENCH_ROUNDS ?? fallback);
  if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`BENCH_ROUNDS must be a whole number ≥ 1, got ${process.env.BENCH_ROUNDS}`);
  return rounds;
}

/** The middle value (the mean of the two middle ones for an even count). */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Milliseconds `action` takes. */
export async function timeMs(action) {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * Runs `ours` and `baseline` once per round, alternating which goes first, after `warmup` untimed
 * rounds; `beforeEach` (untimed) runs before every timed action. Returns each side's time per round.
 */
export async function alternateRounds({ rounds, warmup = 1, ours, baseline, beforeEach }) {
  const times = { oursMs: [], baselineMs: [] };
  for (let round = -warmup; round < rounds; round++) {
    const order = round % 2 === 0 ? ['baseline', 'ours'] : ['ours', 'baseline'];
    const measured = {};
    for (const side of order) {
      await beforeEach?.();
      measured[side] = await timeMs(side === 'ours' ? ours : baseline);
    }
    if (round < 0) continue;
    times.oursMs.push(measured.ours);
    times.baselineMs.push(measured.baseline);
  }
  return times;
}

/**
 * One line of the table from per-round times of the same work: `unitsPerRound` (operations or
 * bytes) turns times into per-unit figures, `goal` is `{ atLeast }` or `{ atMost }` on the ratio.
 */
export function throughputRow({ name, baseline, oursMs, baselineMs, unitsPerRound = 1, unit = 'op', goal }) {
  if (oursMs.length !== baselineMs.length || oursMs.length === 0) throw new Error(`${name}: needs the same number (≥ 1) of rounds on each side`);
  const ratios = oursMs.map((ours, round) => baselineMs[round] / ours);
  const ratio = median(ratios);
  return {
    name,
    baseline,
    kind: 'throughput',
    rounds: ratios.length,
    ours: perUnit(median(oursMs), unitsPerRound, unit),
    baselineFigure: perUnit(median(baselineMs), unitsPerRound, unit),
    oursMedianMs: median(oursMs),
    baselineMedianMs: median(baselineMs),
    ratio,
    spread: { min: Math.min(...ratios), max: Math.max(...ratios) },
    goal: goal ?? null,
    met: goal === undefined ? null : meets(ratio, goal),
  };
}

/** A line that is not about speed, such as stored bytes: `ratio` is ours ÷ baseline in `unit`. */
export function valueRow({ name, baseline, ours, theirs, unit, goal, met }) {
  const ratio = ours / theirs;
  return {
    name,
    baseline,
    kind: unit,
    rounds: 1,
    ours: `${ours} ${unit}`,
    baselineFigure: `${theirs} ${unit}`,
    ratio,
    spread: null,
    goal: goal ?? null,
    met: met ?? (goal === undefined ? null : meets(ratio, goal)),
  };
}

function meets(ratio, goal) {
  if (goal.atLeast !== undefined && ratio < goal.atLeast) return false;
  if (goal.atMost !== undefined && ratio > goal.atMost) return false;
  return true;
}

function perUnit(milliseconds, unitsPerRound, unit) {
  if (unit === 'byte') return `${milliseconds.toFixed(1)} ms (${(unitsPerRound / 1024 / 1024 / (milliseconds / 1000)).toFixed(0)} MiB/s)`;
  const each = milliseconds / unitsPerRound;
  return each < 0.01 ? `${(each * 1e6).toFixed(0)} ns/${unit}` : `${each.toFixed(3)} ms/${unit}`;
}

function goalBound(goal) {
  return goal.text ?? [goal.atLeast === undefined ? '' : `≥ ${goal.atLeast}×`, goal.atMost === undefined ? '' : `≤ ${goal.atMost}×`].filter(Boolean).join(' ');
}

function goalText(row) {
  if (row.goal === null) return '—';
  return `${goalBound(row.goal)} ${row.met ? '✓' : '✗'}`;
}

/** Prints the rows as one table in the shared convention and, with `--json`, writes them for machines. */
export async function report({ title, rows, directory = process.cwd(), file = 'bench.json' }) {
  const table = rows.map((row) => ({
    benchmark: row.name,
    baseline: row.baseline,
    ours: row.ours,
    'baseline figure': row.baselineFigure,
    'ours ÷ baseline': `${row.ratio.toFixed(2)}×`,
    spread: row.spread === null ? '—' : `${row.spread.min.toFixed(2)}–${row.spread.max.toFixed(2)}`,
    goal: goalText(row),
  }));
  const machine = `${availableParallelism()} cores, Node ${process.versions.node}, load average ${loadavg().map((load) => load.toFixed(2)).join(' / ')} (1 / 5 / 15 min)`;
  console.log(`${title}\n${machine}\nours ÷ baseline: throughput ratio (above 1 is faster), median of alternating rounds; spread: lowest–highest round\n`);
  const columns = Object.keys(table[0]);
  const widths = columns.map((column) => Math.max(column.length, ...table.map((entry) => entry[column].length)));
  const line = (cells) => cells.map((cell, index) => cell.padEnd(widths[index])).join('  ').trimEnd();
  console.log(line(columns));
  console.log(line(widths.map((width) => '-'.repeat(width))));
  for (const entry of table) console.log(line(columns.map((column) => entry[column])));
  if (!jsonRequested) return;
  const path = join(directory, 'bench-results', file);
  await mkdir(join(directory, 'bench-results'), { recursive: true });
  await writeFile(path, `${JSON.stringify({ title, machine, convention: 'ratio = baseline time ÷ our time (throughput), median of alternating rounds', rows }, null, 2)}\n`);
  console.log(`\nwrote ${path}`);
}

/**
 * Prints, after the table, why rows missed their goal: for each row that missed (every row with a goal
 * when `BENCH_PROFILE_ALL=1`), the frames with the most self time in a CPU profile of our side doing that
 * row's work alone; a missed row with no work to profile (stored bytes, memory) says so. `profiled` maps
 * a row's name to that work: an async function, or `{ work, before, after, what, why }`, where `before`
 * and `after` run outside the profile, `what` says what was profiled and `why` is a reason found beyond
 * the frames (printed after them).
 */
export async function explainMisses(rows, profiled) {
  const profileAll = process.env.BENCH_PROFILE_ALL === '1';
  const explained = rows.filter((row) => row.met === false || (profileAll && row.goal !== null && profiled.has(row.name)));
  if (explained.length === 0) return;
  const which = profileAll ? 'Rows with a goal (BENCH_PROFILE_ALL=1: met or not)' : 'Rows below their goal';
  console.log(`\n${which}, with the top frames of a CPU profile of our side doing that row's work alone (share of the busy time each frame took itself):`);
  for (const row of explained) {
    const verdict = row.met === false ? '✗' : '✓';
    const entry = profiled.get(row.name);
    if (entry === undefined) {
      // A stored size or a memory bound: no CPU profile says why; the benchmark prints what does.
      console.log(`- ${row.name}: ${row.ratio.toFixed(2)}× (goal ${goalBound(row.goal)} ${verdict}); not profiled: ${row.kind === 'throughput' ? 'no workload given for it' : `not a time (${row.kind})`}`);
      continue;
    }
    const { work, before, after, what, why } = typeof entry === 'function' ? { work: entry } : entry;
    const context = await before?.();
    let profile;
    try {
      profile = await profileTopFrames(() => work(context));
    } finally {
      await after?.(context);
    }
    console.log(`- ${row.name}: ${row.ratio.toFixed(2)}× (goal ${goalBound(row.goal)} ${verdict}); profiled: ${what ?? "our side of the row's work"}, ${profile.wallMs.toFixed(0)} ms, ${profile.busyMs.toFixed(0)} ms of it busy, ${profile.ownPercent.toFixed(1)} % of that in claimcheck's packages:`);
    for (const frame of profile.frames) console.log(`    ${frame.percent.toFixed(1).padStart(5)} %  ${frame.name}`);
    if (why !== undefined) console.log(`  why: ${why}`);
  }
}
