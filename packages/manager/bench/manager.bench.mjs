// pnpm bench: the manager's overhead, each figure against a baseline measured in the same run.
// Several rounds each; the median is reported.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { createManager } from '../dist/index.js';

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeMs(action) {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

// Alternates candidate and baseline round by round, so drift on a shared machine hits both alike.
async function compare(candidate, baseline) {
  const ours = [];
  const theirs = [];
  for (let round = 0; round < rounds; round++) {
    theirs.push(await timeMs(baseline));
    ours.push(await timeMs(candidate));
  }
  return { oursMs: median(ours), baselineMs: median(theirs) };
}

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
const results = [];
try {
  // 1. Inline overhead: the cost a payload under the threshold pays, against awaiting the payload itself.
  const inlineManager = await createManager({ storageType: 'filesystem', filesystemBasePath: join(dir, 'inline') });
  const small = Buffer.from('{"step":"done","ok":true}');
  const calls = 1_000_000;
  const passthrough = async (payload) => payload;
  for (let warm = 0; warm < 100_000; warm++) {
    await inlineManager.offload(small);
    await passthrough(small);
  }
  const inline = await compare(
    async () => {
      for (let call = 0; call < calls; call++) if ((await inlineManager.offload(small)) !== small) throw new Error('inline copied');
    },
    async () => {
      for (let call = 0; call < calls; call++) await passthrough(small);
    },
  );
  const overheadNs = ((inline.oursMs - inline.baselineMs) * 1e6) / calls;
  results.push({ case: 'inline offload overhead per call', ours: `${((inline.oursMs * 1e6) / calls).toFixed(0)} ns`, baseline: `${((inline.baselineMs * 1e6) / calls).toFixed(0)} ns`, result: `${overheadNs.toFixed(0)} ns/call`, target: '< 1000 ns, no copy', met: overheadNs < 1000 });
  await inlineManager.close();

  // 2 and 3. 15 MB offload + retrieve through the filesystem store, against raw zlib gzip + write + read + gunzip.
  const manager = await createManager({ storageType: 'filesystem', filesystemBasePath: join(dir, 'blobs'), thresholdBytes: 51_200 });
  const rawRoundTrip = async (payload) => {
    const compressed = await gzipAsync(payload);
    const temp = join(dir, 'raw.tmp');
    await writeFile(temp, compressed);
    await rename(temp, join(dir, 'raw.blob'));
    const restored = await gunzipAsync(await readFile(join(dir, 'raw.blob')));
    if (restored.byteLength !== payload.byteLength) throw new Error('raw round trip lost bytes');
  };
  const managerRoundTrip = async (payload) => {
    const restored = await manager.retrieve(await manager.offload(payload));
    if (restored.byteLength !== payload.byteLength) throw new Error('manager round trip lost bytes');
  };
  for (const [label, payload, target, goal] of [
    ['15 MB JSON: offload + retrieve', jsonDocument(15_000_000), '≥ 0.9× raw gzip+write+read', 0.9],
    ['15 MB random bytes: offload + retrieve', randomBytes(15_000_000), '≥ 5× faster than gzip-everything', 5],
  ]) {
    await managerRoundTrip(payload);
    await rawRoundTrip(payload);
    const { oursMs, baselineMs } = await compare(() => managerRoundTrip(payload), () => rawRoundTrip(payload));
    const ratio = baselineMs / oursMs;
    results.push({ case: label, ours: `${oursMs.toFixed(1)} ms`, baseline: `${baselineMs.toFixed(1)} ms`, result: `${ratio.toFixed(2)}× raw speed`, target, met: ratio >= goal });
  }
  await manager.close();
} finally {
  await rm(dir, { recursive: true, force: true });
}

console.log(`@claimcheck/manager benchmarks (median of ${rounds} rounds; ratio = baseline time / our time)`);
console.table(results);
