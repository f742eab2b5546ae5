// pnpm bench, inside workerd (miniflare 4.20260730.0, nodejs_compat), see scripts/bench.mjs for the convention:
// - small (1 KB) messages sent through claimCheckQueue against plain `send` to the same Miniflare queue,
//   one request of 1000 sends per side and round, the sides alternating, timed in Node around the request
//   (the isolate's clock moves only on I/O, so it would not see the wrapper's own work).
//   Goal: ≥ 0.95 (the wrapper costs next to nothing inline).
// - the time of one 1 MB offload (zstd + SHA-256 + the store's put) into a bucket held in the isolate's
//   memory, so that what is timed is the Worker's own work, the CPU time Workers bill; JSON-like and
//   random bytes. The baseline is a request that does no offload, so the row shows ms per 1 MB.
// BENCH_ROUNDS shortens or lengthens a run; `pnpm bench --json` also writes bench-results/bench.json.
// If the inline row misses its goal, the top frames of a CPU profile say why. workerd's inspector is not
// reachable from this process, so that profile is of the wrapper's own JavaScript run in Node, doing the
// same sends against a queue double that does nothing: the wrapper's share, not workerd's.
import { fileURLToPath } from 'node:url';
import { createManager } from '@claimcheck/manager';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { alternateRounds, benchRounds, explainMisses, report, throughputRow, valueRow, median } from '../../../scripts/bench.mjs';
import { claimCheckQueue, R2BindingStore } from '../dist/index.js';

const rounds = benchRounds(15);
const sendsPerRound = 1000;
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
const names = { inlineSend: `inline 1 KB: send (${sendsPerRound} per request, requests alternating)` };
const profiled = new Map([
  [
    names.inlineSend,
    {
      what: `in Node, not workerd (whose inspector this process cannot reach): claimCheckQueue's own JavaScript for ${profiledRequests} requests of ${sendsPerRound} sends, on a queue double that does nothing`,
      work: async () => {
        for (let request = 0; request < profiledRequests; request++) {
          const queue = claimCheckQueue(queueDouble, await createManager({ store: new R2BindingStore({ bucket: bucketDouble }) }));
          for (let sent = 0; sent < sendsPerRound; sent++) await queue.send(sendBody);
        }
      },
    },
  ],
]);

const rows = [];
try {
  await miniflare.ready;
  // Each round is one request of `sendsPerRound` sends per side, the sides alternating, timed in Node
  // around the request: the Worker's own work (the wrapper's encoding and size check) is counted.
  const sendTimes = await alternateRounds({
    rounds,
    ours: () => call(`/send?side=wrapped&count=${sendsPerRound}`),
    baseline: () => call(`/send?side=plain&count=${sendsPerRound}`),
  });
  rows.push(
    throughputRow({
      name: names.inlineSend,
      baseline: 'plain queue.send',
      ...sendTimes,
      unitsPerRound: sendsPerRound,
      unit: 'message',
      goal: { atLeast: 0.95 },
    }),
  );
  for (const kind of ['json', 'random']) {
    const times = await alternateRounds({ rounds, ours: () => call(`/offload?kind=${kind}&count=${offloadsPerRound}`), baseline: () => call(`/offload?kind=${kind}&count=0`) });
    const perOffloadMs = median(times.oursMs.map((ours, round) => (ours - times.baselineMs[round]) / offloadsPerRound));
    rows.push(valueRow({ name: `1 MB ${kind === 'json' ? 'JSON-like' : 'random'} offload, time in the Worker`, baseline: 'a request with no offload', ours: Number(perOffloadMs.toFixed(2)), theirs: 1, unit: 'ms per 1 MB' }));
  }
} finally {
  await miniflare.dispose();
}

await report({ title: `@claimcheck/cloudflare benchmarks (workerd through Miniflare; ${rounds} rounds)`, rows });
await explainMisses(rows, profiled);
