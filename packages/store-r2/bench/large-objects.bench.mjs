// Issue 23 §3: putStream, get and getStream of a 256 MiB object through R2Store against Ceph RGW, as
// ratios of what the SDK does without the store, on the same client in the same run:
// - putStream ÷ @aws-sdk/lib-storage's Upload used directly, with the same part size and parts in
//   flight (queueSize), fed the same generated source;
// - get ÷ a raw GetObject whose body is read into one buffer of its Content-Length;
// - getStream ÷ a raw GetObject whose body is iterated;
// - putStream's peak RSS growth, in a fresh process per upload, against 64 MiB + partSize × partsInFlight
//   (Upload's beside it, for reference).
// Run it through `bash scripts/rgw-suite.sh node bench/large-objects.bench.mjs` (the package's `bench`
// script does): it refuses to run against anything but RGW. Rows follow scripts/bench.mjs. RGW keeps
// a deleted object's data until its garbage collection, hours later, so every byte written stays in
// its in-memory OSD for the run: about 5 GiB with the default rounds, which the `bench` script's
// CLAIMCHECK_RGW_MEMSTORE_BYTES (8 GiB) leaves room for. A ratio that misses its goal is explained
// after the table by the top frames of a CPU profile of the store moving one 64 MiB object that way
// (a quarter of the measured size: enough samples, and 64 MiB more on the gateway rather than 256).
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { R2Store } from '../dist/index.js';
import { alternateRounds, benchRounds, explainMisses, report, throughputRow, valueRow } from '../../../scripts/bench.mjs';
import { benchClient } from './bench-client.mjs';
import { generatedChunks } from './generated-chunks.mjs';
import { rgwTarget } from './rgw-target.mjs';

const MiB = 1024 * 1024;
const objectBytes = 256 * MiB;
// R2Store's defaults, given to both sides.
const partSizeBytes = 8 * MiB;
const partsInFlight = 2;
const rounds = benchRounds(5);
const rssRuns = 3;
const goal = { atLeast: 0.95 };
const here = fileURLToPath(new URL('.', import.meta.url));
const mib = (bytes) => Math.round(bytes / MiB);

const target = rgwTarget('large-objects bench');
const client = benchClient(target);
const bucket = target.bucket;
const keyPrefix = `bench-large/${randomUUID()}/`;
const store = new R2Store({ bucket, client, keyPrefix, partSizeBytes, partsInFlight });

const removeObject = (objectName) => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectName }));

const put = {
  async ours() {
    return `${keyPrefix}${await store.putStream(generatedChunks(objectBytes))}`;
  },
  async baseline() {
    const key = `${keyPrefix}${randomUUID()}`;
    const params = { Bucket: bucket, Key: key, Body: Readable.from(generatedChunks(objectBytes)), ContentType: 'application/octet-stream' };
    await new Upload({ client, params, partSize: partSizeBytes, queueSize: partsInFlight }).done();
    return key;
  },
};

function expectBytes(received, what, expected = objectBytes) {
  if (received !== expected) throw new Error(`${what} read ${received} bytes, not ${expected}`);
}

const get = {
  async ours(key) {
    expectBytes((await store.get(key)).byteLength, 'R2Store.get');
  },
  async baseline(objectName) {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectName }));
    const buffer = new Uint8Array(response.ContentLength);
    let offset = 0;
    for await (const chunk of response.Body) {
      buffer.set(chunk, offset);
      offset += chunk.byteLength;
    }
    expectBytes(offset, 'GetObject');
  },
};

const getStream = {
  async ours(key) {
    let received = 0;
    for await (const chunk of await store.getStream(key)) received += chunk.byteLength;
    expectBytes(received, 'R2Store.getStream');
  },
  async baseline(objectName) {
    const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: objectName }));
    let received = 0;
    for await (const chunk of response.Body) received += chunk.byteLength;
    expectBytes(received, 'GetObject body');
  },
};

// Times both sides of the puts, deleting each object (untimed) before the next upload, so that the
// gateway holds at most one of them at a time.
async function timePuts() {
  let written;
  const discardLast = async () => {
    if (written !== undefined) await removeObject(written);
    written = undefined;
  };
  const times = await alternateRounds({
    rounds,
    ours: async () => {
      written = await put.ours();
    },
    baseline: async () => {
      written = await put.baseline();
    },
    beforeEach: discardLast,
  });
  await discardLast();
  return times;
}

// One upload of each side per fresh process, alternating, `rssRuns` times: the peak RSS growth (the
// highest of the runs), the peak of buffer memory beside it (live or not yet collected), and the CPU
// time of the upload, which the machine's load disturbs less than its wall time.
async function freshProcessUploads() {
  const runs = { putStream: [], Upload: [] };
  for (let run = 0; run < rssRuns; run++) {
    for (const side of run % 2 === 0 ? ['putStream', 'Upload'] : ['Upload', 'putStream']) {
      const args = ['--expose-gc', join(here, 'put-stream-rss.mjs'), side, objectBytes, partSizeBytes, partsInFlight].map(String);
      const { stdout } = await promisify(execFile)(process.execPath, args, { env: process.env });
      runs[side].push(JSON.parse(stdout));
    }
  }
  const summary = (side) => ({
    growth: Math.max(...runs[side].map((run) => run.growthBytes)),
    text:
      `${side}: RSS growth ${runs[side].map((run) => mib(run.growthBytes)).join('/')} MiB, ` +
      `buffers at most ${runs[side].map((run) => mib(run.peakArrayBufferBytes)).join('/')} MiB, ` +
      `CPU ${runs[side].map((run) => run.cpuMs).join('/')} ms`,
  });
  return { putStream: summary('putStream'), Upload: summary('Upload') };
}

// What a miss profiles: the store's side of the row, on one object of `profiledBytes`.
const profiledBytes = 64 * MiB;
const profiledSize = `${mib(profiledBytes)} MiB`;
const withProfiledObject = (what, read) => ({
  what,
  before: () => store.putStream(generatedChunks(profiledBytes)),
  work: read,
  after: (key) => store.delete(key),
});
const profiled = new Map([
  [
    `putStream ${mib(objectBytes)} MiB`,
    {
      what: `R2Store.putStream of one ${profiledSize} object`,
      before: () => [],
      work: async (keys) => keys.push(await store.putStream(generatedChunks(profiledBytes))),
      after: (keys) => Promise.all(keys.map((key) => store.delete(key))),
    },
  ],
  [`get ${mib(objectBytes)} MiB`, withProfiledObject(`R2Store.get of one ${profiledSize} object`, async (key) => expectBytes((await store.get(key)).byteLength, 'R2Store.get', profiledBytes))],
  [
    `getStream ${mib(objectBytes)} MiB`,
    withProfiledObject(`R2Store.getStream of one ${profiledSize} object`, async (key) => {
      let received = 0;
      for await (const chunk of await store.getStream(key)) received += chunk.byteLength;
      expectBytes(received, 'R2Store.getStream', profiledBytes);
    }),
  ],
]);

try {
  const loadBefore = loadavg()[0];
  const putMs = await timePuts();
  // One object both sides read: the store's key names it under the prefix.
  const storeKey = await store.putStream(generatedChunks(objectBytes));
  const objectName = `${keyPrefix}${storeKey}`;
  const getMs = await alternateRounds({ rounds, ours: () => get.ours(storeKey), baseline: () => get.baseline(objectName) });
  const getStreamMs = await alternateRounds({ rounds, ours: () => getStream.ours(storeKey), baseline: () => getStream.baseline(objectName) });
  await store.delete(storeKey);
  const rss = await freshProcessUploads();
  const loadAfter = loadavg()[0];

  const bound = 64 * MiB + partSizeBytes * partsInFlight;
  const boundText = `64 MiB + ${mib(partSizeBytes)} MiB × ${partsInFlight} = ${mib(bound)} MiB`;
  const size = `${mib(objectBytes)} MiB`;
  const parts = `part ${mib(partSizeBytes)} MiB × ${partsInFlight} in flight`;
  const rows = [
    throughputRow({ name: `putStream ${size}`, baseline: `lib-storage Upload (${parts})`, oursMs: putMs.oursMs, baselineMs: putMs.baselineMs, unitsPerRound: objectBytes, unit: 'byte', goal }),
    throughputRow({ name: `get ${size}`, baseline: 'GetObject, body into one buffer', oursMs: getMs.oursMs, baselineMs: getMs.baselineMs, unitsPerRound: objectBytes, unit: 'byte', goal }),
    throughputRow({ name: `getStream ${size}`, baseline: 'GetObject, body iterated', oursMs: getStreamMs.oursMs, baselineMs: getStreamMs.baselineMs, unitsPerRound: objectBytes, unit: 'byte', goal }),
    valueRow({ name: `putStream ${size} peak RSS growth`, baseline: 'the bound', ours: mib(rss.putStream.growth), theirs: mib(bound), unit: 'MiB', goal: { atMost: 1, text: `≤ ${boundText}` } }),
    valueRow({ name: `Upload ${size} peak RSS growth`, baseline: 'the bound', ours: mib(rss.Upload.growth), theirs: mib(bound), unit: 'MiB' }),
  ];
  const title =
    `R2Store against the bare SDK on the same client and Ceph RGW, ${rounds} rounds; peak RSS: the highest of ${rssRuns} uploads in fresh processes per side\n` +
    `${rss.putStream.text}\n${rss.Upload.text}\n` +
    `load average (1 min): ${loadBefore.toFixed(2)} before, ${loadAfter.toFixed(2)} after, ${availableParallelism()} cores`;
  await report({ title, rows, directory: join(here, '..'), file: 'large-objects.json' });
  await explainMisses(rows, profiled);
} finally {
  await store.close();
  client.destroy();
}
