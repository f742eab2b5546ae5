// pnpm bench, inside workerd (miniflare 4.20260730.0, nodejs_compat), see scripts/bench.mjs for the convention:
// - small (1 KB) messages sent through claimCheckQueue against plain `send` to the same Miniflare queue,
//   one request of 1000 sends per side and round, the sides alternating. The goal row is workerd's CPU
//   time per request (what Workers bill; see workerd-cpu.mjs for what it includes), goal ≥ 0.95; the
//   wrapper's own CPU per send (wrapped − plain) and the wall time in Node around the request follow,
//   without a goal (the isolate's clock moves only on I/O, so it cannot time the wrapper itself).
// - the time of one 1 MB offload (zstd + SHA-256 + the store's put) into a bucket held in the isolate's
//   memory, so that what is timed is the Worker's own work, the CPU time Workers bill; JSON-like and
//   random bytes. The baseline is a request that does no offload, so the row shows ms per 1 MB.
// BENCH_ROUNDS shortens or lengthens a run; `pnpm bench --json` also writes bench-results/bench.json.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { alternateRounds, benchRounds, report, throughputRow, valueRow, median } from '../../../scripts/bench.mjs';
import { workerdCpuClock } from './workerd-cpu.mjs';

const rounds = benchRounds(15);
const sendsPerRound = 1000;
const idleSendsPerRound = 20_000;
const offloadsPerRound = 10;

const { outputFiles } = await build({
  entryPoints: [fileURLToPath(new URL('./bench.worker.ts', import.meta.url))],
  bundle: true,
  write: false,
  format: 'esm',
  platform: 'neutral',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  external: ['node:*'],
  // The manager's loader names the other backends; they are never loaded when a store is given (see the README).
  plugins: [{ name: 'unused-backends', setup(b) {
    b.onResolve({ filter: /^@claimcheck\/store-(r2|fs)$/ }, ({ path }) => ({ path, namespace: 'unused' }));
    b.onLoad({ filter: /.*/, namespace: 'unused' }, () => ({ contents: 'throw new Error("not bundled");' }));
  } }],
  logLevel: 'error',
});
const miniflare = new Miniflare({
  // An explicit module list, as wrangler uploads one: Miniflare's module scanner (modules: true) refuses the
  // manager's non-literal import() of a store package by name, which a Worker handed a store never calls.
  modules: [{ type: 'ESModule', path: 'worker.mjs', contents: outputFiles[0].text }],
  compatibilityDate: '2026-07-30',
  compatibilityFlags: ['nodejs_compat'],
  r2Buckets: ['BUCKET'],
  queueProducers: { JOBS: 'bench' },
});

async function call(path) {
  const response = await miniflare.dispatchFetch(`http://bench${path}`);
  if ((await response.text()) !== 'ok') throw new Error(`${path} failed`);
}

// Runs the two requests in alternating rounds (scripts/bench.mjs), reading workerd's CPU time around each:
// the wall times of the rounds, and their CPU times (`undefined` without /proc).
async function cpuAndWallRounds(cpuClock, oursPath, baselinePath) {
  const warmup = 1;
  const cpuMs = { ours: [], baseline: [] };
  const request = (side, path) => async () => {
    const before = cpuClock?.();
    await call(path);
    if (cpuClock !== undefined) cpuMs[side].push(cpuClock() - before);
  };
  const wall = await alternateRounds({ rounds, warmup, ours: request('ours', oursPath), baseline: request('baseline', baselinePath) });
  const cpu = cpuClock === undefined ? undefined : { oursMs: cpuMs.ours.slice(warmup), baselineMs: cpuMs.baseline.slice(warmup) };
  return { wall, cpu };
}

// Small sends: one request of `sendsPerRound` sends per side and round. The goal row is workerd's CPU
// time through Miniflare's queue, whose broker shares workerd's thread; the wrapper's own CPU is then
// measured apart, against a queue binding that does nothing, with many more sends per request.
async function smallSendRows() {
  const cpuClock = workerdCpuClock();
  const name = `inline 1 KB: send (${sendsPerRound} per request, requests alternating)`;
  const queued = await cpuAndWallRounds(cpuClock, `/send?side=wrapped&count=${sendsPerRound}`, `/send?side=plain&count=${sendsPerRound}`);
  const wallRow = throughputRow({ name: `${name}, wall time in Node`, baseline: 'plain queue.send', ...queued.wall, unitsPerRound: sendsPerRound, unit: 'message' });
  if (queued.cpu === undefined) {
    console.log('workerd CPU time needs Linux /proc: of the small sends, only the wall time is measured');
    return [wallRow];
  }
  const idle = await cpuAndWallRounds(cpuClock, `/send?side=wrapped&queue=idle&count=${idleSendsPerRound}`, `/send?side=plain&queue=idle&count=${idleSendsPerRound}`);
  const addedUs = median(idle.cpu.oursMs.map((ours, round) => ((ours - idle.cpu.baselineMs[round]) * 1000) / idleSendsPerRound));
  const plainUs = (median(queued.cpu.baselineMs) * 1000) / sendsPerRound;
  return [
    throughputRow({ name: `${name}, workerd CPU time`, baseline: 'plain queue.send', ...queued.cpu, unitsPerRound: sendsPerRound, unit: 'message', goal: { atLeast: 0.95 } }),
    valueRow({ name: `inline 1 KB: the wrapper's own CPU per send (${idleSendsPerRound} sends to a queue that does nothing)`, baseline: 'CPU of one plain send above', ours: Number(addedUs.toFixed(2)), theirs: Number(plainUs.toFixed(1)), unit: 'µs per send' }),
    wallRow,
  ];
}

const rows = [];
try {
  await miniflare.ready;
  rows.push(...(await smallSendRows()));
  for (const kind of ['json', 'random']) {
    const times = await alternateRounds({ rounds, ours: () => call(`/offload?kind=${kind}&count=${offloadsPerRound}`), baseline: () => call(`/offload?kind=${kind}&count=0`) });
    const perOffloadMs = median(times.oursMs.map((ours, round) => (ours - times.baselineMs[round]) / offloadsPerRound));
    rows.push(valueRow({ name: `1 MB ${kind === 'json' ? 'JSON-like' : 'random'} offload, time in the Worker`, baseline: 'a request with no offload', ours: Number(perOffloadMs.toFixed(2)), theirs: 1, unit: 'ms per 1 MB' }));
  }
} finally {
  await miniflare.dispose();
}

await report({ title: `@claimcheck/cloudflare benchmarks (workerd through Miniflare; ${rounds} rounds)`, rows });
