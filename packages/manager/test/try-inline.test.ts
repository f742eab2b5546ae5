import { MemoryStore } from '@claimcheck/core';
import { describe, expect, it } from 'vitest';
import { createManager, referenceMarker, utf8ByteLength, type ManagerEvent } from '../src/index.js';

const encoder = new TextEncoder();

describe('utf8ByteLength', () => {
  it('counts what TextEncoder writes: ASCII, two- and three-byte units, pairs and lone surrogates', () => {
    const samples = ['', 'a', 'é', '€', '😀', 'a😀b', '\ud83d', '\ude00', 'x\ud83dy', '\ude00\ud83d', '\ud83d\ud83d\ude00', '\u007f\u0080\u07ff\u0800\uffff', `{"note":"${'x'.repeat(1000)}"}`];
    for (const text of samples) expect(utf8ByteLength(text), JSON.stringify(text)).toBe(encoder.encode(text).byteLength);
  });

  it('counts a text longer than its buffer, with pairs and lone surrogates across the buffer ends', () => {
    for (const unit of ['😀', '€😀', 'a\ud83d', 'ab€😀']) {
      const text = unit.repeat(40_000 / unit.length);
      expect(utf8ByteLength(text), JSON.stringify(unit)).toBe(encoder.encode(text).byteLength);
    }
  });

  it('agrees with TextEncoder on random strings of any UTF-16 units', () => {
    // A fixed-seed generator, so that a failure can be reproduced.
    let seed = 7;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
    for (let round = 0; round < 500; round++) {
      const units = Array.from({ length: next() % 40 }, () => (next() % 4 === 0 ? next() % 128 : next() % 0x10000));
      const text = String.fromCharCode(...units);
      expect(utf8ByteLength(text)).toBe(encoder.encode(text).byteLength);
    }
  });
});

describe('tryInline', () => {
  it('keeps what offload keeps, counted as offload counts it, for bytes and for text', async () => {
    const events: ManagerEvent[] = [];
    const manager = await createManager({ store: new MemoryStore(), thresholdBytes: 10, onEvent: (event) => events.push(event) });
    expect(manager.tryInline(new Uint8Array(10))).toBe(true);
    expect(manager.tryInline('€€€')).toBe(true); // 9 bytes
    expect(manager.tryInline('€€€€')).toBe(false); // 4 units, but 12 bytes: over the threshold
    expect(manager.tryInline(new Uint8Array(11))).toBe(false);
    expect(manager.tryInline('x'.repeat(11))).toBe(false);
    expect(manager.tryInline(new Uint8Array(1), { force: true })).toBe(false);
    expect(manager.tryInline(referenceMarker.slice(0, 10))).toBe(true); // too short to carry the marker
    expect(events).toEqual([
      { type: 'inline', bytes: 10 },
      { type: 'inline', bytes: 9 },
      { type: 'inline', bytes: 10 },
    ]);
    expect(manager.metrics()).toMatchObject({ inline: 3, bytesInline: 29, offloaded: 0 });
    const stored: string[] = [];
    for await (const key of (await manager.store).listKeys()) stored.push(key);
    expect(stored).toEqual([]);
  });

  it('refuses a payload that starts like a reference, as text or bytes, so that offload stores it', async () => {
    const manager = await createManager({ store: new MemoryStore() });
    expect(manager.tryInline(`${referenceMarker}"x":1}`)).toBe(false);
    expect(manager.tryInline(encoder.encode(`${referenceMarker}"x":1}`))).toBe(false);
    expect(manager.metrics().inline).toBe(0);
  });

  it('keeps everything on a disabled manager unless forced, and refuses what is neither bytes nor text', async () => {
    const manager = await createManager({ enabled: false });
    expect(manager.tryInline(new Uint8Array(1_000_000))).toBe(true);
    expect(manager.tryInline('x'.repeat(1_000_000))).toBe(true);
    expect(manager.tryInline(new Uint8Array(1), { force: true })).toBe(false);
    expect(manager.tryInline([1, 2] as unknown as Uint8Array)).toBe(false);
    expect(manager.metrics()).toMatchObject({ inline: 2, bytesInline: 2_000_000 });
  });
});
