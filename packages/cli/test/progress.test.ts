import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressThresholdBytes, redrawIntervalMs, renderBar, withProgress } from '../src/progress.js';

class Terminal extends Writable {
  readonly isTTY: boolean;
  text = '';
  constructor(isTTY: boolean) {
    super();
    this.isTTY = isTTY;
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/** A clock the chunks advance: each chunk "takes" `msPerChunk`. */
function fakeClock() {
  let ms = 0;
  return { now: () => ms, advance: (by: number) => (ms += by) };
}

async function* chunks(total: number, size: number, clock?: ReturnType<typeof fakeClock>, msPerChunk = 0): AsyncGenerator<Uint8Array> {
  const chunk = new Uint8Array(size);
  for (let sent = 0; sent < total; sent += size) {
    clock?.advance(msPerChunk);
    yield chunk.subarray(0, Math.min(size, total - sent));
  }
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.byteLength;
  return bytes;
}

describe('the progress bar', () => {
  it('is drawn on a terminal for a large transfer, ending at 100%', async () => {
    const terminal = new Terminal(true);
    const clock = fakeClock();
    const total = progressThresholdBytes * 2;
    expect(await drain(withProgress(chunks(total, 1024 * 1024, clock, 1000), total, terminal, 'get', clock.now))).toBe(total);
    expect(terminal.text).toContain('\rget [');
    expect(terminal.text).toContain(' 50% ');
    expect(terminal.text.trimEnd().endsWith('100% 8.0 MiB / 8.0 MiB')).toBe(true);
  });

  it('redraws at most 10 times a second, however many chunks arrive: a 1 GiB transfer at 64 MiB/s', async () => {
    const terminal = new Terminal(true);
    const clock = fakeClock();
    const total = 1024 ** 3;
    // 16,384 chunks of 64 KiB, one a millisecond: 16.4 s of transfer.
    await drain(withProgress(chunks(total, 64 * 1024, clock, 1), total, terminal, 'put', clock.now));
    const redraws = terminal.text.split('\r').length - 1;
    expect(redraws).toBeLessThanOrEqual(Math.ceil(16_384 / redrawIntervalMs) + 1);
    expect(redraws).toBeGreaterThan(100);
    expect(terminal.text.trimEnd().endsWith('100% 1.0 GiB / 1.0 GiB')).toBe(true);
  });

  it('shows a running byte count for a large stream of unknown size', async () => {
    const terminal = new Terminal(true);
    const clock = fakeClock();
    await drain(withProgress(chunks(progressThresholdBytes * 2, 1024 * 1024, clock, 1000), undefined, terminal, 'put', clock.now));
    expect(terminal.text).toContain('\rput 4.0 MiB');
    expect(terminal.text.trimEnd().endsWith('put 8.0 MiB')).toBe(true);
  });

  it('is not drawn when stderr is not a terminal', async () => {
    const pipe = new Terminal(false);
    const total = progressThresholdBytes * 2;
    expect(await drain(withProgress(chunks(total, 1024 * 1024), total, pipe, 'get'))).toBe(total);
    expect(pipe.text).toBe('');
  });

  it('is not drawn for a small transfer', async () => {
    const terminal = new Terminal(true);
    await drain(withProgress(chunks(1000, 100), 1000, terminal, 'put'));
    expect(terminal.text).toBe('');
  });

  it('renders a bar proportional to the bytes done', () => {
    expect(renderBar('put', 512, 1024)).toBe(`put [${'#'.repeat(15)}${'-'.repeat(15)}]  50% 512 B / 1.0 KiB`);
  });
});
