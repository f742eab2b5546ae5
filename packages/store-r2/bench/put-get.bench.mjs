// put/get of 1 KiB, 1 MiB and 10 MiB through R2Store, as a ratio of raw @aws-sdk/client-s3
// PutObject/GetObject on the same client and the same s3rver, measured in the same run.
// Each round runs every operation on both sides back to back. Every line follows scripts/bench.mjs:
// store ÷ raw as a throughput ratio over the round, the median over the rounds, and their spread.
// Target: ≥ 0.95. `pnpm bench --json` also writes the rows to bench-results/bench.json. A row that
// misses it is explained after the table by the top frames of a CPU profile of the store doing that
// row's work (s3rver runs in a process of its own).
import { randomBytes, randomUUID } from 'node:crypto';
import process from 'node:process';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { R2Store } from '../dist/index.js';
import { benchRounds, explainMisses, report, throughputRow } from '../../../scripts/bench.mjs';
import { startS3rver } from '../../../scripts/s3rver.mjs';
import { benchClient } from './bench-client.mjs';

const KiB = 1024;
const MiB = 1024 * KiB;
const rounds = benchRounds(11);
const cases = [
  { label: '1 KiB', size: KiB, operations: 100 },
  { label: '1 MiB', size: MiB, operations: 40 },
  { label: '10 MiB', size: 10 * MiB, operations: 8 },
];

const server = await startS3rver({ bucket: 'claimcheck-bench' });
const client = benchClient(server);
const bucket = server.bucket;
const keyPrefix = 'bench/';
const store = new R2Store({ bucket, client, keyPrefix });

const raw = {
  async put(data) {
    const key = `${keyPrefix}${randomUUID()}`;
    await client.send(
      new PutObjectCommand({ Bucket: bucket, Key: key, Body: data, ContentLength: data.byteLength, ContentType: 'application/octet-stream' }),
    );
    return key;
  },
  async get(key) {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return response.Body.transformToByteArray();
  },
};

// Runs the raw and the store side of one operation back to back, alternating which goes first, and
// adds up each side's time: both sides see the same server state, op by op.
async function paired(operations, rawSide, storeSide) {
  const totals = { raw: 0, store: 0 };
  const time = async (side, run, index) => {
    const start = process.hrtime.bigint();
    await run(index);
    totals[side] += Number(process.hrtime.bigint() - start) / 1e6;
  };
  for (let index = 0; index < operations; index++) {
    if (index % 2 === 0) {
      await time('raw', rawSide, index);
      await time('store', storeSide, index);
    } else {
      await time('store', storeSide, index);
      await time('raw', rawSide, index);
    }
  }
  return totals;
}

// What a miss profiles: the store doing five rounds' worth of the row's operations.
const profiledRounds = 5;
const profiled = new Map();

try {
  const results = [];
  for (const { label, size, operations } of cases) {
    const data = new Uint8Array(randomBytes(size));
    profiled.set(`put ${label}`, {
      before: () => [],
      work: async (keys) => {
        for (let index = 0; index < operations * profiledRounds; index++) keys.push(await store.put(data));
      },
      after: async (keys) => {
        for (const key of keys) await store.delete(key);
      },
    });
    profiled.set(`get ${label}`, {
      before: () => store.put(data),
      work: async (key) => {
        for (let index = 0; index < operations * profiledRounds; index++) await store.get(key);
      },
      after: (key) => store.delete(key),
    });
    const rawKey = await raw.put(data);
    const storeKey = await store.put(data);
    const putMs = { raw: [], store: [] };
    const getMs = { raw: [], store: [] };
    for (let round = 0; round <= rounds; round++) {
      const rawPuts = [];
      const storePuts = [];
      const puts = await paired(
        operations,
        async () => rawPuts.push(await raw.put(data)),
        async () => storePuts.push(await store.put(data)),
      );
      const gets = await paired(operations, () => raw.get(rawKey), () => store.get(storeKey));
      for (const key of rawPuts) await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      for (const key of storePuts) await store.delete(key);
      // Round 0 warms up connections and the JIT; it is not counted.
      if (round === 0) continue;
      putMs.raw.push(puts.raw);
      putMs.store.push(puts.store);
      getMs.raw.push(gets.raw);
      getMs.store.push(gets.store);
    }
    const goal = { atLeast: 0.95 };
    results.push(throughputRow({ name: `put ${label}`, baseline: 'PutObject', oursMs: putMs.store, baselineMs: putMs.raw, unitsPerRound: operations, goal }));
    results.push(throughputRow({ name: `get ${label}`, baseline: 'GetObject', oursMs: getMs.store, baselineMs: getMs.raw, unitsPerRound: operations, goal }));
  }
  await report({ title: `R2Store against raw @aws-sdk/client-s3 on the same client and s3rver (${rounds} rounds)`, rows: results });
  await explainMisses(results, profiled);
} finally {
  await store.close();
  client.destroy();
  await server.stop();
}
