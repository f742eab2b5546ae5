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

// How a writer process runs: `pausing`, one blob at a time and killed when a putStream announces it
// is halfway; otherwise killed a few milliseconds after `killAfter` stored blobs, wherever its writes
// then are. `writers`: that many concurrent writers on a durable store, none pausing.
interface WriterRun {
  layout: FilesystemLayout;
  pausing: boolean;
  killAfter: number;
  writers?: number;
}

// Runs the writer until it is killed with SIGKILL. Resolves with what it reported as stored: each
// key with the SHA-256 of the blob it put under it.
async function writeUntilKilled(basePath: string, { layout, pausing, killAfter, writers }: WriterRun): Promise<Map<string, string>> {
  const pauseAt = pausing ? 2 * randomInt(0, 3) + 1 : -1;
  const args = [writer, basePath, layout, String(pauseAt), ...(writers === undefined ? [] : [String(writers)])];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const stored = new Map<string, string>();
  const kill = () => child.kill('SIGKILL');
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'paused') kill();
    const [word, key, sha256] = line.split(' ');
    if (word === 'stored' && key !== undefined && sha256 !== undefined) {
      stored.set(key, sha256);
      if (!pausing && stored.size === killAfter) setTimeout(kill, randomInt(0, 20));
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

// Every key the writer reported holds exactly the bytes it put, and every listed key a whole blob.
async function expectIntact(store: FilesystemStore, stored: Map<string, string>): Promise<string[]> {
  const listed: string[] = [];
  for await (const key of store.listKeys()) listed.push(key);
  expect(listed).toEqual(expect.arrayContaining([...stored.keys()]));
  for (const [key, sha256] of stored) expect(createHash('sha256').update(await store.get(key)).digest('hex'), `blob ${key} changed`).toBe(sha256);
  for (const key of listed) expect(isComplete(await store.get(key)), `blob ${key} is torn`).toBe(true);
  expect(listed.filter((key) => key.startsWith('.tmp-'))).toEqual([]);
  return listed;
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
      const stored = new Map<string, string>();
      for (let round = 0; round < rounds; round++) {
        const killed = await writeUntilKilled(basePath, { layout, pausing: round % 2 === 0, killAfter: randomInt(1, 5) });
        for (const [key, sha256] of killed) stored.set(key, sha256);
      }

      const store = new FilesystemStore({ basePath, layout });
      // Nothing a put reported as stored is lost, and every listed key holds a whole blob.
      const listed = await expectIntact(store, stored);

      // Each pausing round was killed halfway through a stream: its temp file is left, never listed.
      const leftovers = await tempFilesUnder(basePath);
      expect(leftovers.length).toBeGreaterThanOrEqual(rounds / 2);

      const report = await store.sweep({ olderThan: 0 });
      expect(report.removedTempFiles).toBe(leftovers.length);
      expect(report.removedBlobs).toBe(listed.length);
      expect(await tempFilesUnder(basePath)).toEqual([]);
    }, 120_000);

    it(`many concurrent durable writers killed with SIGKILL, again and again, lose no resolved put and leave no partial blob (${layout})`, async () => {
      const basePath = await temporaryDirectory();
      const stored = new Map<string, string>();
      for (let round = 0; round < rounds; round++) {
        // Killed while most of the 16 writers are somewhere in a put: writing, flushing, renaming or syncing.
        const killed = await writeUntilKilled(basePath, { layout, pausing: false, killAfter: randomInt(16, 64), writers: 16 });
        expect(killed.size).toBeGreaterThanOrEqual(16);
        for (const [key, sha256] of killed) stored.set(key, sha256);
      }

      const store = new FilesystemStore({ basePath, layout, durable: true });
      const listed = await expectIntact(store, stored);
      // Puts cut short by the kill left temp files at most; sweep finds and removes exactly those.
      const leftovers = await tempFilesUnder(basePath);
      const report = await store.sweep({ olderThan: 0 });
      expect(report.removedTempFiles).toBe(leftovers.length);
      expect(report.removedBlobs).toBe(listed.length);
      expect(await tempFilesUnder(basePath)).toEqual([]);
    }, 120_000);
  }
});
