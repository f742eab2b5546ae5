// One streamed upload of a large object in a fresh process, printing how far its resident set grew
// above where it stood before the upload: a fresh process, so that no earlier round's heap hides
// (or adds to) the growth. Run by large-objects.bench.mjs, under scripts/rgw-suite.sh:
//   node --expose-gc bench/put-stream-rss.mjs <putStream|Upload> <bytes> <partSizeBytes> <partsInFlight>
import { randomUUID } from 'node:crypto';
import process from 'node:process';
import { Readable } from 'node:stream';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { R2Store } from '../dist/index.js';
import { benchClient } from './bench-client.mjs';
import { generatedChunks } from './generated-chunks.mjs';
import { rgwTarget } from './rgw-target.mjs';

const [side, bytes, partSizeBytes, partsInFlight] = [process.argv[2], ...process.argv.slice(3, 6).map(Number)];
const target = rgwTarget('put-stream-rss');
const client = benchClient(target);
const keyPrefix = `bench-rss/${randomUUID()}/`;
const store = new R2Store({ bucket: target.bucket, client, keyPrefix, partSizeBytes, partsInFlight });

// Sampled on a timer and on every chunk the source hands out, which is when parts are cut.
let peak = 0;
const sample = () => {
  peak = Math.max(peak, process.memoryUsage.rss());
};
// What of it is buffers (live or not yet collected), sampled on the timer only: it costs more to read.
let peakBuffers = 0;
const sampleBuffers = () => {
  sample();
  peakBuffers = Math.max(peakBuffers, process.memoryUsage().arrayBuffers);
};
async function* sampled(chunks) {
  for await (const chunk of chunks) {
    sample();
    yield chunk;
  }
}

const upload = {
  putStream: async (source) => `${keyPrefix}${await store.putStream(source)}`,
  Upload: async (source) => {
    const key = `${keyPrefix}${randomUUID()}`;
    const params = { Bucket: target.bucket, Key: key, Body: Readable.from(source), ContentType: 'application/octet-stream' };
    await new Upload({ client, params, partSize: partSizeBytes, queueSize: partsInFlight }).done();
    return key;
  },
}[side];
if (upload === undefined) throw new Error(`put-stream-rss: side must be putStream or Upload, got ${side}`);

try {
  // A small upload first: the connection, the modules' lazy parts and the JIT are not what is measured.
  await client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: await upload(generatedChunks(1024 * 1024)) }));
  globalThis.gc();
  globalThis.gc();
  const before = process.memoryUsage.rss();
  peak = before;
  const timer = setInterval(sampleBuffers, 5);
  const cpu = process.cpuUsage();
  const key = await upload(sampled(generatedChunks(bytes)));
  const { user, system } = process.cpuUsage(cpu);
  clearInterval(timer);
  sample();
  await client.send(new DeleteObjectCommand({ Bucket: target.bucket, Key: key }));
  console.log(JSON.stringify({ side, beforeBytes: before, peakBytes: peak, growthBytes: peak - before, peakArrayBufferBytes: peakBuffers, cpuMs: Math.round((user + system) / 1000) }));
} finally {
  await store.close();
  client.destroy();
}
