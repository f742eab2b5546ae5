import { afterAll, describe, expect, it } from 'vitest';
import { R2Store } from '../src/index.js';
import { freshPrefix, localTarget, purgePrefix, rawClient } from './support/s3-target.js';

// How putStream cuts and paces a multipart upload, watched from the client's middleware on the
// loopback server (s3rver, or RGW in the RGW suite).
const target = localTarget();
const MiB = 1024 * 1024;
const partSizeBytes = 5 * MiB;
const partsInFlight = 2;

describe(`putStream's parts on ${target.server}`, () => {
  const client = rawClient(target);
  const keyPrefix = freshPrefix('part-upload');
  afterAll(async () => {
    await purgePrefix(client, target.bucket, keyPrefix);
    client.destroy();
  });

  it('sends full parts in order, at most partsInFlight at once, reading the source no further ahead than the parts it holds', async () => {
    const sent: { part: number; bytes: number }[] = [];
    let running = 0;
    let mostRunning = 0;
    let partsDone = 0;
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'UploadPartCommand') return next(args);
        const input = args.input as { PartNumber: number; ContentLength: number };
        sent.push({ part: input.PartNumber, bytes: input.ContentLength });
        running += 1;
        mostRunning = Math.max(mostRunning, running);
        try {
          return await next(args);
        } finally {
          running -= 1;
          partsDone += 1;
        }
      },
      { step: 'initialize', name: 'claimcheckPartWatch' },
    );
    const chunkBytes = MiB / 2;
    const totalBytes = 6 * partSizeBytes + MiB / 2;
    let bytesRead = 0;
    const readsTooFarAhead: string[] = [];
    async function* source(): AsyncGenerator<Uint8Array> {
      for (let index = 0; bytesRead < totalBytes; index++) {
        // Asked for a chunk, the store holds at most the parts being sent and the one being filled.
        if (bytesRead > (partsDone + partsInFlight + 1) * partSizeBytes) readsTooFarAhead.push(`${String(bytesRead)} bytes read with ${String(partsDone)} parts done`);
        bytesRead += chunkBytes;
        yield new Uint8Array(chunkBytes).fill(index % 251);
      }
    }
    const store = new R2Store({ bucket: target.bucket, client, keyPrefix, partSizeBytes, partsInFlight });
    const key = await store.putStream(source());
    expect(sent).toEqual([1, 2, 3, 4, 5, 6, 7].map((part) => ({ part, bytes: part === 7 ? MiB / 2 : partSizeBytes })));
    expect(mostRunning).toBeLessThanOrEqual(partsInFlight);
    expect(readsTooFarAhead).toEqual([]);
    const stored = await store.get(key);
    expect(stored.byteLength).toBe(totalBytes);
    for (let index = 0; index < totalBytes / chunkBytes; index++) expect(stored[index * chunkBytes + chunkBytes - 1]).toBe(index % 251);
    await store.close();
  });
});
