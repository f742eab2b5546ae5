import { MemoryStore, type ClaimCheckWarning } from '@claimcheck/core';
import { describe, expect, it, vi } from 'vitest';
import { createManager, referenceMarker, type ManagerConfig, type ManagerEvent } from '../src/index.js';
import { jsonPayload, randomPayload } from './support/payloads.js';

describe('metrics', () => {
  it('count inline, offloaded and retrieved payloads, their bytes and the compression ratio', async () => {
    const manager = await createManager({ store: new MemoryStore(), thresholdBytes: 1000 });
    await manager.offload(randomPayload(10));
    await manager.offload(randomPayload(1000));
    const json = jsonPayload(100_000);
    const random = randomPayload(50_000);
    const references = [await manager.offload(json), await manager.offload(random)];
    for (const reference of references) await manager.retrieve(reference);
    await manager.retrieve(randomPayload(5));

    const snapshot = manager.metrics();
    expect(snapshot).toMatchObject({
      inline: 2,
      bytesInline: 1010,
      offloaded: 2,
      bytesOffloaded: 150_000,
      retrieved: 2,
      bytesRetrieved: 150_000,
      passedThrough: 1,
      errors: {},
    });
    expect(snapshot.bytesStored).toBeGreaterThan(50_000);
    expect(snapshot.bytesStored).toBeLessThan(70_000);
    expect(snapshot.compressionRatio).toBeCloseTo(snapshot.bytesStored / 150_000);
    expect(snapshot.latency.offload.count).toBe(2);
    expect(snapshot.latency.retrieve.count).toBe(2);
    expect(snapshot.latency.offload.maxMs).toBeGreaterThan(0);
  });

  it('count errors by code', async () => {
    const manager = await createManager({ store: new MemoryStore(), thresholdBytes: 10 });
    const reference = await manager.offload(randomPayload(100));
    await manager.delete(reference);
    await manager.retrieve(reference).catch(() => undefined);
    await manager.retrieve(new TextEncoder().encode(`${referenceMarker}"broken`)).catch(() => undefined);
    await manager.retrieve(new TextEncoder().encode(`${referenceMarker}"broken`)).catch(() => undefined);
    expect(manager.metrics().errors).toEqual({ NOT_FOUND: 1, INVALID_REFERENCE: 2 });
  });

  it('a snapshot is a copy that later calls do not change', async () => {
    const manager = await createManager({ store: new MemoryStore(), thresholdBytes: 10 });
    const before = manager.metrics();
    await manager.offload(randomPayload(100));
    expect(before.offloaded).toBe(0);
    expect(manager.metrics().offloaded).toBe(1);
  });

  it('the event hook sees every call, for OpenTelemetry or Prometheus exporters', async () => {
    const events: ManagerEvent[] = [];
    const manager = await createManager({ store: new MemoryStore(), thresholdBytes: 10, onEvent: (event) => events.push(event) });
    const reference = await manager.offload(randomPayload(100));
    await manager.offload(randomPayload(5));
    await manager.retrieve(reference);
    await manager.delete(reference);
    await manager.retrieve(reference).catch(() => undefined);
    expect(events.map((event) => event.type)).toEqual(['offload', 'inline', 'retrieve', 'delete', 'error']);
    expect(events[0]).toMatchObject({ type: 'offload', bytes: 100, storedBytes: 100, encoding: 'identity' });
    expect(events[4]).toMatchObject({ type: 'error', operation: 'retrieve', code: 'NOT_FOUND' });
  });
});

// A manager on a MemoryStore whose onEvent hook always throws.
function withFailingHook(extra: ManagerConfig = {}): ManagerConfig {
  return {
    store: new MemoryStore(),
    thresholdBytes: 10,
    onEvent: () => {
      throw new Error('exporter down');
    },
    ...extra,
  };
}

describe('the event hook', () => {
  it('a hook that throws changes no result: the payload is stored, retrievable and counted', async () => {
    // Captured, not printed: an expected warning is no noise in the test output.
    const warnings: string[] = [];
    const emitWarning = vi.spyOn(process, 'emitWarning').mockImplementation((warning: string | Error) => {
      warnings.push(String(warning));
    });
    try {
      const manager = await createManager(withFailingHook());
      const payload = randomPayload(100);
      const reference = await manager.offload(payload);
      expect(Buffer.from(await manager.retrieve(reference)).equals(payload)).toBe(true);
      expect(await manager.offload(payload.subarray(0, 5))).toEqual(payload.subarray(0, 5));
      expect(manager.metrics()).toMatchObject({ offloaded: 1, retrieved: 1, inline: 1 });
      await new Promise((resolve) => setImmediate(resolve));
      expect(warnings.some((message) => message.includes('exporter down'))).toBe(true);
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('with onWarning, a throwing hook is a HOOK_FAILED warning there and nothing reaches process.emitWarning', async () => {
    const emitWarning = vi.spyOn(process, 'emitWarning');
    const warnings: ClaimCheckWarning[] = [];
    try {
      const manager = await createManager(withFailingHook({ onWarning: (warning) => warnings.push(warning) }));
      await manager.offload(randomPayload(100));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({ code: 'HOOK_FAILED', backend: 'manager' });
      expect((warnings[0]?.cause as Error).message).toBe('exporter down');
      expect(emitWarning).not.toHaveBeenCalled();
    } finally {
      emitWarning.mockRestore();
    }
  });

  it('a throwing onWarning changes no result either', async () => {
    const manager = await createManager(
      withFailingHook({
        onWarning: () => {
          throw new Error('logger down');
        },
      }),
    );
    const payload = randomPayload(100);
    expect(Buffer.from(await manager.retrieve(await manager.offload(payload))).equals(payload)).toBe(true);
  });

  it('rejects an onWarning that is not a function with INVALID_CONFIG', async () => {
    await expect(createManager({ store: new MemoryStore(), onWarning: 'log' as never })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
