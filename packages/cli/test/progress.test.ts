import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { progressThresholdBytes, renderBar, withProgress } from '../src/progress.js';

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

async function* chunks(total: number, size: number): AsyncGenerator<Uint8Array> {
  for (let sent = 0; sent < total; sent += size) yield new Uint8Array(Math.min(size, total - sent));
}

async function drain(stream: AsyncIterable<Uint8Array>): Promise<number> {
  let bytes = 0;
  for await (const chunk of stream) bytes += chunk.byteLength;
  return bytes;
}

describe('the progress bar', () => {
  it('is drawn on a terminal for a large transfer, ending at 100%', async () => {
    const terminal = new Terminal(true);
    const total = progressThresholdBytes * 2;
    expect(await drain(withProgress(chunks(total, 1024 * 1024), total, terminal, 'get'))).toBe(total);
    expect(terminal.text).toContain('\rget [');
    expect(terminal.text).toContain(' 50% ');
    expect(terminal.text.trimEnd().endsWith('100% 8.0 MiB / 8.0 MiB')).toBe(true);
  });

  it('shows a running byte count for a large stream of unknown size', async () => {
    const terminal = new Terminal(true);
    await drain(withProgress(chunks(progressThresholdBytes * 2, 1024 * 1024), undefined, terminal, 'put'));
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
