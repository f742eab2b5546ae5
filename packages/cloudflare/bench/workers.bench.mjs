// pnpm bench, inside workerd (miniflare 4.20260730.0, nodejs_compat), see scripts/bench.mjs for the convention:
// - small (1 KB) messages sent through claimCheckQueue against plain `send` to the same Miniflare queue,
//   one request of 100 sends per side and round, 30 times as many rounds as the other rows (short requests
//   pair each wrapped request with a plain one run under the same load), the sides alternating. The goal row is workerd's CPU
//   time per request (what Workers bill; see workerd-cpu.mjs for what it includes), goal ≥ 0.95; the
//   wrapper's own CPU per send (wrapped − plain) and the wall time in Node around the request follow,
//   without a goal (the isolate's clock moves only on I/O, so it cannot time the wrapper itself).
// - the CPU time (workerd's, as above; the wall time in Node without /proc) of one 1 MB offload (zstd +
//   SHA-256 + the store's put) into a bucket held in the isolate's memory, so that what is measured is the
//   Worker's own work, the CPU time Workers bill; JSON-like and random bytes. The baseline is a request
//   that does no offload, so the row shows ms per 1 MB.
// BENCH_ROUNDS shortens or lengthens a run; `pnpm bench --json` also writes bench-results/bench.json.
// If the inline row misses its goal, the top frames of a CPU profile say why. That profile is of the
// wrapper's own JavaScript run in Node, doing the same sends against a queue double that does nothing: the
// wrapper's share, not workerd's. A profile through workerd's inspector (Miniflare's `inspectorPort`) was
// tried: it charges the broker's native time to whichever JavaScript frame is on the Worker's stack (a
// plain send's `fetch` handler gets most of it), so it cannot tell the wrapper's time from the broker's.
import { fileURLToPath } from 'node:url';
import { createManager } from '@claimcheck/manager';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { alternateRounds, benchRounds, explainMisses, report, throughputRow, valueRow, median } from '../../../scripts/bench.mjs';
import { claimCheckQueue, R2BindingStore } from '../dist/index.js';
import { workerdCpuClock } from './workerd-cpu.mjs';

const rounds = benchRounds(15);
const sendsPerRound = 100;
const sendRounds = rounds * 30;
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

// The /send request of bench.worker.ts, in Node: a manager and claimCheckQueue per request, then the
// sends. The queue double does nothing and the bucket is never reached: 1 KB bodies stay inline.
const profiledRequests = 30;
const unused = () => Promise.reject(new Error('an inline send reached the bucket'));
const bucketDouble = { head: unused, get: unused, put: unused, delete: unused, list: unused, createMultipartUpload: unused };
const queueDouble = { send: async () => undefined, sendBatch: async () => undefined };
const sendBody = { order: 'o-1', note: 'x'.repeat(1000) };
const sendName = `inline 1 KB: send (${sendsPerRound} per request, requests alternating)`;
// The goal row: with /proc, workerd's CPU time; without, the wall time in Node.
const goalRowNames = [`${sendName}, workerd CPU time`, `${sendName}, wall time in Node`];
const profiledSends = {
  what: `in Node, not workerd (whose inspector's samples can't separate the wrapper from the broker): claimCheckQueue's own JavaScript for ${profiledRequests} requests of ${sendsPerRound} sends, on a queue double that does nothing`,
  work: async () => {
    for (let request = 0; request < profiledRequests; request++) {
      const queue = claimCheckQueue(queueDouble, await createManager({ store: new R2BindingStore({ bucket: bucketDouble }) }));
      for (let sent = 0; sent < sendsPerRound; sent++) await queue.send(sendBody);
    }
  },
};
const profiled = new Map(goalRowNames.map((name) => [name, profiledSends]));

// Runs the two requests in alternating rounds (scripts/bench.mjs), reading workerd's CPU time around each:
// the wall times of the rounds, and their CPU times (`undefined` without /proc).
async function cpuAndWallRounds(cpuClock, rounds, oursPath, baselinePath) {
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

// The median over rounds of (ours − baseline) per send, in µs.
function addedMicroseconds({ oursMs, baselineMs }, sends) {
  return Number(median(oursMs.map((ours, round) => ((ours - baselineMs[round]) * 1000) / sends)).toFixed(2));
}

// Small sends: one request of `sendsPerRound` sends per side and round. The goal row is workerd's CPU
// time through Miniflare's queue, whose broker shares workerd's thread; the wrapper's own CPU is then
// given per send, through the queue and apart, against a queue binding that does nothing, with many more
// sends per request: a tight loop with warm caches, a lower bound of what the wrapper adds between real sends.
async function smallSendRows(cpuClock) {
  const name = sendName;
  const queued = await cpuAndWallRounds(cpuClock, sendRounds, `/send?side=wrapped&count=${sendsPerRound}`, `/send?side=plain&count=${sendsPerRound}`);
  const wallRow = throughputRow({ name: `${name}, wall time in Node`, baseline: 'plain queue.send', ...queued.wall, unitsPerRound: sendsPerRound, unit: 'message' });
  if (queued.cpu === undefined) {
    console.log('workerd CPU time needs Linux /proc: of the small sends, only the wall time is measured');
    return [wallRow];
  }
  const idle = await cpuAndWallRounds(cpuClock, rounds, `/send?side=wrapped&queue=idle&count=${idleSendsPerRound}`, `/send?side=plain&queue=idle&count=${idleSendsPerRound}`);
  const plainUs = Number(((median(queued.cpu.baselineMs) * 1000) / sendsPerRound).toFixed(1));
  return [
    throughputRow({ name: `${name}, workerd CPU time`, baseline: 'plain queue.send', ...queued.cpu, unitsPerRound: sendsPerRound, unit: 'message', goal: { atLeast: 0.95 } }),
    valueRow({ name: 'inline 1 KB: CPU the wrapper adds per send through the queue (wrapped − plain)', baseline: 'CPU of one plain send above', ours: addedMicroseconds(queued.cpu, sendsPerRound), theirs: plainUs, unit: 'µs per send' }),
    valueRow({ name: `inline 1 KB: the same in a tight loop (${idleSendsPerRound} sends to a queue that does nothing)`, baseline: 'CPU of one plain send above', ours: addedMicroseconds(idle.cpu, idleSendsPerRound), theirs: plainUs, unit: 'µs per send' }),
    wallRow,
  ];
}

const rows = [];
try {
  await miniflare.ready;
  // What Workers bill: workerd's CPU time where /proc gives it, otherwise the wall time in Node.
  const cpuClock = workerdCpuClock();
  rows.push(...(await smallSendRows(cpuClock)));
  for (const kind of ['json', 'random']) {
    const { wall, cpu } = await cpuAndWallRounds(cpuClock, rounds, `/offload?kind=${kind}&count=${offloadsPerRound}`, `/offload?kind=${kind}&count=0`);
    const times = cpu ?? wall;
    const perOffloadMs = median(times.oursMs.map((ours, round) => (ours - times.baselineMs[round]) / offloadsPerRound));
    const measure = cpu === undefined ? 'wall time in Node' : 'workerd CPU time';
    rows.push(valueRow({ name: `1 MB ${kind === 'json' ? 'JSON-like' : 'random'} offload, ${measure}`, baseline: 'a request with no offload', ours: Number(perOffloadMs.toFixed(2)), theirs: 1, unit: 'ms per 1 MB' }));
  }
} finally {
  await miniflare.dispose();
}

await report({ title: `@claimcheck/cloudflare benchmarks (workerd through Miniflare; ${rounds} rounds, ${sendRounds} for the sends through the queue)`, rows });
await explainMisses(rows, profiled);
