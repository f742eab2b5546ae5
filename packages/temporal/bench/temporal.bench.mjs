// pnpm bench: the driver through the SDK's own DataConverter and ExternalStorage, side by side with its
// baselines in the same run (see scripts/bench.mjs for the convention):
//  1. small payloads (under the threshold, so they stay inline): encode + store pass + retrieve pass +
//     decode, with ClaimCheckStorageDriver registered ÷ with no external storage, and ÷ with the SDK's
//     ExternalStorage around a driver that is never called (the SDK's own share of the cost);
//  2. the same small values through ClaimCheckPayloadCodec (the codec path, no ExternalStorage pass) ÷
//     the same DataConverter with no codec;
//  3. 10 MB values offloaded on the same Ceph RGW (`pnpm bench` starts one through
//     ../store-r2/scripts/rgw-suite.sh; run directly, the bench needs CLAIMCHECK_S3_*): time to store and
//     retrieve, and the bytes stored, ours (R2Store, zstd) ÷ @temporalio/external-storage-s3.
// BENCH_ROUNDS changes the number of rounds; `pnpm bench --json` also writes bench-results/bench.json.
// A small-value row that misses its goal is explained after the table by the top frames of a CPU profile
// of what that row does beyond its baseline: the SDK's ExternalStorage pass around this driver, or
// ClaimCheckPayloadCodec's encode and decode, over the round's payloads.
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { MemoryStore } from '@claimcheck/core';
import { R2Store } from '@claimcheck/store-r2';
import { ClaimCheckPayloadCodec, ClaimCheckStorageDriver } from '@claimcheck/temporal';
import { ExternalStorage } from '@temporalio/common';
import { decodeFromPayloadsAtIndex, encodeToPayloads, ExternalStorageRunner, isReferencePayload, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { alternateRounds, benchRounds, explainMisses, report, throughputRow, valueRow } from '../../../scripts/bench.mjs';
import { s3TargetFromEnv } from '../../../scripts/s3-target.mjs';
import { officialS3Driver } from '../test/support/official-s3.mjs';

const smallValues = 20_000;
const smallRounds = benchRounds(9);
const largeRounds = benchRounds(5);
const target = { kind: 'workflow', namespace: 'default', id: 'bench', runId: 'bench-run', type: 'bench' };

/**
 * One value across the wire and back, as a client and a worker do it: converter and codecs, then the
 * SDK's external-storage pass (or, with none configured, its check for references).
 */
function crossing(dataConverter) {
  const loaded = loadDataConverter(dataConverter);
  const runner = dataConverter.externalStorage === undefined ? undefined : new ExternalStorageRunner(dataConverter.externalStorage);
  return async (value) => {
    const encoded = await encodeToPayloads(loaded, value);
    const wire = runner === undefined ? encoded : await runner.store(encoded, { target });
    // With no external storage the SDK still checks inbound payloads for references (to fail loudly).
    if (runner === undefined && wire.some(isReferencePayload)) throw new Error('a reference with no external storage');
    const back = runner === undefined ? wire : await runner.retrieve(wire);
    return { wire, value: await decodeFromPayloadsAtIndex(loaded, 0, back) };
  };
}

const small = Array.from({ length: smallValues }, (_, n) => ({ n, user: 'someone@example.com', action: 'signup', tags: ['a', 'b', 'c'], note: 'x'.repeat(800) }));
const smallRound = (cross) => async () => {
  for (const value of small) await cross(value);
};

// A fresh 10 MB value each round: the official driver skips a PUT whose SHA-256 key already exists.
let generation = 0;
const largeValue = () => ({ generation: ++generation, rows: Array.from({ length: 100_000 }, (_, id) => ({ id, name: `customer-${id}`, note: 'x'.repeat(60) })) });

const s3 = s3TargetFromEnv();
if (s3 === undefined) throw new Error('the 10 MB rows need an S3 server: run `pnpm bench` (it starts Ceph RGW), or set CLAIMCHECK_S3_*');
const official = officialS3Driver(s3);
const store = new R2Store({ endpoint: s3.endpoint, bucket: s3.bucket, region: s3.region, accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey, forcePathStyle: true, keyPrefix: 'claimcheck/' });
const rows = [];
const names = {
  externalStorage: `small values (1 KiB, inline): through a DataConverter (${smallValues}/round)`,
  codec: `small values (1 KiB, inline): through a DataConverter with ClaimCheckPayloadCodec (${smallValues}/round)`,
};
// A miss is profiled over what the row adds to its baseline, on the round's values already converted
// (the converter's own work, the same on both sides, would hide it), `rounds` times: a few hundred ms.
const onConverted = (rounds, pass) => ({
  before: () => Promise.all(small.map((value) => encodeToPayloads(loadDataConverter({}), value))),
  work: async (converted) => {
    for (let round = 0; round < rounds; round++) for (const payloads of converted) await pass(payloads);
  },
});
const externalStorageWithDriver = new ExternalStorage({ drivers: [new ClaimCheckStorageDriver({ store: new MemoryStore() })] });
const externalStorageRunner = new ExternalStorageRunner(externalStorageWithDriver);
const codec = new ClaimCheckPayloadCodec({ store: new MemoryStore() });
const profiled = new Map([
  [
    names.externalStorage,
    {
      what: "the SDK's ExternalStorageRunner store + retrieve around this driver (never called under the threshold), on converted payloads: what the row adds to its baseline",
      why:
        'in @temporalio/common 1.24.0, ExternalStorageRunner.store measures every payload by encoding it with protobufjs ' +
        '(payloadProtoSize: PayloadProto.encode(payload).pos, a copy of the whole payload: the write_bytes_buffer frame) before comparing it ' +
        'with payloadSizeThreshold, and store and retrieve each build an AbortController (makeBatchSignal) per call; ' +
        'no option of ExternalStorage skips either, and the driver is not called for a payload under the threshold',
      ...onConverted(10, async (payloads) => externalStorageRunner.retrieve(await externalStorageRunner.store(payloads, { target }))),
    },
  ],
  [
    names.codec,
    {
      what: 'ClaimCheckPayloadCodec encode + decode, on converted payloads: what the row adds to its baseline',
      ...onConverted(40, async (payloads) => codec.decode(await codec.encode(payloads))),
    },
  ],
]);
try {
  const withDriver = crossing({ externalStorage: externalStorageWithDriver });
  const without = crossing({});
  rows.push(
    throughputRow({
      name: names.externalStorage,
      baseline: 'the same DataConverter with no external storage',
      ...(await alternateRounds({ rounds: smallRounds, ours: smallRound(withDriver), baseline: smallRound(without) })),
      unitsPerRound: smallValues,
      unit: 'value',
      goal: { atLeast: 0.95 },
    }),
  );

  // The same SDK pass with a driver that is never called either (inline values never reach a driver):
  // what of the difference above is the SDK's ExternalStorage pass rather than this package.
  const idle = { name: 'idle', type: 'idle', store: () => Promise.reject(new Error('not called')), retrieve: () => Promise.reject(new Error('not called')) };
  const withIdle = crossing({ externalStorage: new ExternalStorage({ drivers: [idle] }) });
  rows.push(
    throughputRow({
      name: `small values (1 KiB, inline): through a DataConverter (${smallValues}/round)`,
      baseline: 'the same with ExternalStorage and a driver that is never called',
      ...(await alternateRounds({ rounds: smallRounds, ours: smallRound(withDriver), baseline: smallRound(withIdle) })),
      unitsPerRound: smallValues,
      unit: 'value',
    }),
  );

  // The codec path: a PayloadCodec sees every payload too, with no ExternalStorage pass around it.
  rows.push(
    throughputRow({
      name: names.codec,
      baseline: 'the same DataConverter with no codec',
      ...(await alternateRounds({
        rounds: smallRounds,
        ours: smallRound(crossing({ payloadCodecs: [new ClaimCheckPayloadCodec({ store: new MemoryStore() })] })),
        baseline: smallRound(without),
      })),
      unitsPerRound: smallValues,
      unit: 'value',
      goal: { atLeast: 0.95 },
    }),
  );

  const ours = crossing({ externalStorage: new ExternalStorage({ drivers: [new ClaimCheckStorageDriver({ store })] }) });
  const theirs = crossing({ externalStorage: new ExternalStorage({ drivers: [official.driver] }) });
  const largeRound = (cross) => async () => {
    const value = largeValue();
    const result = await cross(value);
    if (result.value.generation !== value.generation || result.value.rows.length !== value.rows.length) throw new Error('the value did not come back');
  };
  const bytes = JSON.stringify(largeValue()).length;
  rows.push(
    throughputRow({
      name: `10 MB values: store + retrieve through a DataConverter, on ${s3.server}`,
      baseline: '@temporalio/external-storage-s3 1.22.0',
      ...(await alternateRounds({ rounds: largeRounds, ours: largeRound(ours), baseline: largeRound(theirs) })),
      unitsPerRound: bytes,
      unit: 'byte',
    }),
  );
  const storedBytes = async (prefix) => {
    let total = 0;
    let count = 0;
    let ContinuationToken;
    do {
      const page = await official.s3.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix, ContinuationToken }));
      for (const object of page.Contents ?? []) {
        total += object.Size ?? 0;
        count++;
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken !== undefined);
    return total / count;
  };
  rows.push(
    valueRow({
      name: '10 MB values: bytes stored per value',
      baseline: '@temporalio/external-storage-s3 1.22.0',
      ours: Math.round(await storedBytes('claimcheck/')),
      theirs: Math.round(await storedBytes('v0/')),
      unit: 'bytes',
      goal: { atMost: 1, text: '≤ 1× (fewer bytes)' },
    }),
  );
} finally {
  await store.close();
  official.s3.destroy();
}

// RGW's script runs this from packages/store-r2: the results belong to this package.
await report({ directory: fileURLToPath(new URL('..', import.meta.url)), title: `@claimcheck/temporal benchmarks (SDK 1.24.0 DataConverter + ExternalStorage; small: MemoryStore, ${smallRounds} rounds; 10 MB: ${s3.server}, ${largeRounds} rounds)`, rows });
await explainMisses(rows, profiled);
