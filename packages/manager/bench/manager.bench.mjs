// pnpm bench: the manager against the pipeline it replaces, measured side by side in the same run
// (see scripts/bench.mjs for the convention). BENCH_ROUNDS shortens or lengthens a run. A timed row
// that misses its goal is explained after the table by the top frames of a CPU profile of the manager
// doing that row's work.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip, gzipSync } from 'node:zlib';
import { alternateRounds, benchRounds, explainMisses, median, report, throughputRow, valueRow } from '../../../scripts/bench.mjs';
import { createManager, parseReference } from '../dist/index.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const rounds = benchRounds(7);
const payloadBytes = 15_000_000;

function jsonDocument(size) {
  const rows = [];
  let length = 0;
  for (let id = 0; length < size; id++) {
    const row = JSON.stringify({ id, customer: `customer-${id % 4999}`, status: id % 7 ? 'active' : 'paused', total: (id * 7919) % 100000, tags: ['a', 'b', `t${id % 13}`] });
    rows.push(row);
    length += row.length + 1;
  }
  return Buffer.from(`[${rows.join(',')}]`);
}

const dir = await mkdtemp(join(tmpdir(), 'claimcheck-bench-'));
const rows = [];
// What a miss profiles: a manager with the same settings as the row's doing `rounds` of its work.
const profiledManager = (subdirectory, work, rounds = 3) => ({
  before: () => createManager({ storageType: 'filesystem', storeOptions: { basePath: join(dir, 'profiled', subdirectory) } }),
  work: async (manager) => {
    for (let round = 0; round < rounds; round++) await work(manager);
  },
  after: (manager) => manager.close(),
});
const profiled = new Map();
try {
  // The origin's pipeline: gzip at the default level, write (temp + rename), then read and gunzip.
  const originOffload = async (payload) => {
    const temp = join(dir, 'origin.tmp');
    await writeFile(temp, await gzipAsync(payload));
    await rename(temp, join(dir, 'origin.blob'));
  };
  const originRetrieve = async (payload) => {
    const restored = await gunzipAsync(await readFile(join(dir, 'origin.blob')));
    if (restored.byteLength !== payload.byteLength) throw new Error('origin round trip lost bytes');
  };
  // Default settings: zstd, threshold 50 KiB, filesystem store.
  const manager = await createManager({ storageType: 'filesystem', storeOptions: { basePath: join(dir, 'blobs') } });
  const managerRoundTrip = async (payload) => {
    const reference = await manager.offload(payload);
    const restored = await manager.retrieve(reference);
    if (restored.byteLength !== payload.byteLength) throw new Error('manager round trip lost bytes');
    await manager.delete(reference);
  };

  const json = jsonDocument(payloadBytes);
  profiled.set(
    '15 MB JSON: offload + retrieve',
    profiledManager('json', async (manager) => {
      const reference = await manager.offload(json);
      await manager.retrieve(reference);
      await manager.delete(reference);
    }),
  );
  rows.push(
    throughputRow({
      name: '15 MB JSON: offload + retrieve',
      baseline: 'gzip (level 6) + write, read + gunzip',
      ...(await alternateRounds({ rounds, ours: () => managerRoundTrip(json), baseline: async () => { await originOffload(json); await originRetrieve(json); } })),
      unitsPerRound: json.byteLength,
      unit: 'byte',
      goal: { atLeast: 2 },
    }),
  );
  const stored = parseReference(await manager.offload(json)).storedSize;
  rows.push(valueRow({ name: '15 MB JSON: stored size', baseline: 'gzip level 6', ours: stored, theirs: gzipSync(json, { level: 6 }).byteLength, unit: 'bytes', goal: { atMost: 0.9 } }));

  const random = randomBytes(payloadBytes);
  // Random bytes are stored as they are, quickly: more rounds for enough samples, each blob removed again.
  profiled.set('15 MB random bytes: offload', profiledManager('random', async (manager) => manager.delete(await manager.offload(random)), 20));
  const offloadOnly = async () => {
    await manager.offload(random);
  };
  rows.push(
    throughputRow({
      name: '15 MB random bytes: offload',
      baseline: 'gzip-everything (level 6) + write',
      ...(await alternateRounds({ rounds, ours: offloadOnly, baseline: () => originOffload(random) })),
      unitsPerRound: random.byteLength,
      unit: 'byte',
      goal: { atLeast: 8 },
    }),
  );
  await manager.close();

  // The inline path: a payload under the threshold, against awaiting the payload itself.
  const inlineManager = await createManager({ storageType: 'filesystem', storeOptions: { basePath: join(dir, 'inline') } });
  const small = Buffer.from('{"step":"done","ok":true}');
  const calls = 1_000_000;
  const passthrough = async (payload) => payload;
  profiled.set(
    'inline offload (no copy)',
    profiledManager('inline', async (manager) => {
      for (let call = 0; call < calls; call++) await manager.offload(small);
    }),
  );
  const inlineTimes = await alternateRounds({
    rounds,
    ours: async () => {
      for (let call = 0; call < calls; call++) if ((await inlineManager.offload(small)) !== small) throw new Error('inline copied');
    },
    baseline: async () => {
      for (let call = 0; call < calls; call++) await passthrough(small);
    },
  });
  const inlineRow = throughputRow({ name: 'inline offload (no copy)', baseline: 'await of the payload itself', ...inlineTimes, unitsPerRound: calls, unit: 'call' });
  const perCallNs = (median(inlineTimes.oursMs) * 1e6) / calls;
  rows.push({ ...inlineRow, goal: { text: '< 1 µs/call, no copy' }, met: perCallNs < 1000 });
  await inlineManager.close();

  await report({ title: `@claimcheck/manager benchmarks (${rounds} rounds, default settings: zstd, filesystem store)`, rows });
  await explainMisses(rows, profiled);
} finally {
  await rm(dir, { recursive: true, force: true });
}
