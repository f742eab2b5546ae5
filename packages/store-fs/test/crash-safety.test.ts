import { spawn } from 'node:child_process';
import { createHash, randomInt } from 'node:crypto';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { FilesystemStore, type FilesystemLayout } from '../src/index.js';
import { tempFilesUnder } from './support/held-stream.js';
import { temporaryDirectory } from './support/temporary-directory.js';

const writer = fileURLToPath(new URL('./fixtures/crash-writer.mjs', import.meta.url));
const rounds = 6;

// Runs the writer until it is killed with SIGKILL. In a pausing round the kill comes when a
// putStream announces it is halfway; otherwise a few milliseconds after a random number of blobs,
// wherever the writer then is: writing, renaming, or between blobs. Resolves with the keys it stored.
async function writeUntilKilled(basePath: string, layout: FilesystemLayout, pausing: boolean): Promise<string[]> {
  const pauseAt = pausing ? 2 * randomInt(0, 3) + 1 : -1;
  const killAfter = randomInt(1, 5);
  const child = spawn(process.execPath, [writer, basePath, layout, String(pauseAt)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const stored: string[] = [];
  const kill = () => child.kill('SIGKILL');
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'paused') kill();
    if (line.startsWith('stored ')) {
      stored.push(line.slice('stored '.length));
      if (!pausing && stored.length === killAfter) setTimeout(kill, randomInt(0, 20));
    }
  }
  const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.signalCode);
    else
      child.once('exit', (_code, exitSignal) => {
        resolve(exitSignal);
      });
  });
  expect(signal, 'the writer ended without being killed').toBe('SIGKILL');
  return stored;
}

// The blob's own header says how long its body is and what its SHA-256 is.
function isComplete(blob: Uint8Array): boolean {
  if (blob.byteLength < 40) return false;
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const body = bytes.subarray(40);
  return bytes.readBigUInt64BE(0) === BigInt(body.byteLength) && createHash('sha256').update(body).digest().equals(bytes.subarray(8, 40));
}

describe('crash safety', () => {
  for (const layout of ['flat', 'sharded'] satisfies FilesystemLayout[]) {
    it(`a writer killed with SIGKILL mid-write, again and again, leaves only complete blobs under listed keys (${layout})`, async () => {
      const basePath = await temporaryDirectory();
      const stored: string[] = [];
      for (let round = 0; round < rounds; round++) stored.push(...(await writeUntilKilled(basePath, layout, round % 2 === 0)));

      const store = new FilesystemStore({ basePath, layout });
      const listed: string[] = [];
      for await (const key of store.listKeys()) listed.push(key);
      // Nothing a put reported as stored is lost, and every listed key holds a whole blob.
      expect(listed).toEqual(expect.arrayContaining(stored));
      for (const key of listed) expect(isComplete(await store.get(key)), `blob ${key} is torn`).toBe(true);

      // Each pausing round was killed halfway through a stream: its temp file is left, never listed.
      const leftovers = await tempFilesUnder(basePath);
      expect(leftovers.length).toBeGreaterThanOrEqual(rounds / 2);
      expect(listed.filter((key) => key.startsWith('.tmp-'))).toEqual([]);

      const report = await store.sweep({ olderThan: 0 });
      expect(report.removedTempFiles).toBe(leftovers.length);
      expect(report.removedBlobs).toBe(listed.length);
      expect(await tempFilesUnder(basePath)).toEqual([]);
    }, 120_000);
  }
});
