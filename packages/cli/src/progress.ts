import type { Writable } from 'node:stream';
import { formatBytes } from './duration.js';

/** Transfers at least this large get a progress bar, when stderr is a terminal. */
export const progressThresholdBytes = 4 * 1024 * 1024;

const barWidth = 30;

/**
 * Counts the bytes of a stream as they pass and draws a bar on `stderr` when it is a TTY and the
 * transfer is large; otherwise it only passes the bytes through.
 */
export async function* withProgress(
  stream: AsyncIterable<Uint8Array>,
  totalBytes: number | undefined,
  stderr: Writable & { isTTY?: boolean },
  label: string,
): AsyncGenerator<Uint8Array> {
  const visible = stderr.isTTY === true && (totalBytes ?? 0) >= progressThresholdBytes;
  let done = 0;
  let lastDrawn = -1;
  for await (const chunk of stream) {
    done += chunk.byteLength;
    if (visible) {
      const percent = Math.min(100, Math.floor((done / (totalBytes ?? done)) * 100));
      if (percent !== lastDrawn) {
        stderr.write(`\r${renderBar(label, done, totalBytes ?? done)}`);
        lastDrawn = percent;
      }
    }
    yield chunk;
  }
  if (visible) stderr.write('\n');
}

/** One line of the progress bar: `get [##########----------]  50% 5.0 MiB / 10.0 MiB`. */
export function renderBar(label: string, done: number, total: number): string {
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(fraction * barWidth);
  const percent = String(Math.floor(fraction * 100)).padStart(3);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${percent}% ${formatBytes(done)} / ${formatBytes(total)}`;
}
