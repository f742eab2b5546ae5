import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClaimCheckWarning } from '@claimcheck/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createManager } from '../src/index.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'claimcheck-manager-warnings-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

// A source that yields 1 MiB (past the manager's compressibility sample, so the write starts) and then
// waits for ever: close() has to cancel the write.
async function* stalled(): AsyncGenerator<Uint8Array> {
  yield new Uint8Array(1024 * 1024);
  await new Promise(() => undefined);
}

describe('onWarning', () => {
  it('reaches the store the manager creates: a close that cancels a stalled write warns there, not on the process, and the write settles with CLOSED', async () => {
    const emitWarning = vi.spyOn(process, 'emitWarning');
    const warnings: ClaimCheckWarning[] = [];
    try {
      const manager = await createManager({
        storageType: 'filesystem',
        // The store's own close bound, reachable through its provider: the cancel comes at once.
        storeOptions: { basePath: dir, closeTimeoutMs: 100 },
        thresholdBytes: 0,
        onWarning: (warning) => warnings.push(warning),
      });
      const writing = manager.offloadStream(stalled());
      writing.catch(() => undefined);
      // The write is in flight once the store has its temp file open.
      await vi.waitFor(async () => {
        expect((await readdir(dir)).some((name) => name.startsWith('.tmp-'))).toBe(true);
      }, { timeout: 30_000, interval: 20 });
      await manager.close();
      await expect(writing).rejects.toMatchObject({ code: 'CLOSED' });
      expect(warnings.map((warning) => warning.code)).toEqual(['CLOSE_INCOMPLETE']);
      expect(warnings[0]?.backend).toBe('filesystem');
      expect(emitWarning).not.toHaveBeenCalled();
    } finally {
      emitWarning.mockRestore();
    }
  }, 60_000);
});
