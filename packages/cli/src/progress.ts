import type { Writable } from 'node:stream';
import { formatBytes } from './duration.js';

/** Transfers at least this large get a progress bar, when stderr is a terminal. */
export const progressThresholdBytes = 4 * 1024 * 1024;

/** The shortest time between two redraws: at most 10 a second, however fast the chunks come. */
export const redrawIntervalMs = 100;

const barWidth = 30;

/**
 * Counts the bytes of a stream as they pass and draws a bar on `stderr` when it is a TTY and the
 * transfer is large — for a stream of unknown size, a running count once it passes the threshold.
 * Otherwise it only passes the bytes through. `now` is the clock, in milliseconds.
 */
export async function* withProgress(
  stream: AsyncIterable<Uint8Array>,
  totalBytes: number | undefined,
  stderr: Writable & { isTTY?: boolean },
  label: string,
  now: () => number = () => performance.now(),
): AsyncGenerator<Uint8Array> {
  const terminal = stderr.isTTY === true;
  let done = 0;
  let lastDrawn = '';
  let lastDrawnAt = -Infinity;
  const draw = (force: boolean) => {
    if (!terminal || Math.max(totalBytes ?? 0, done) < progressThresholdBytes) return;
    // A redraw per chunk would cost more than the chunk, and flood a slow terminal.
    if (!force && now() - lastDrawnAt < redrawIntervalMs) return;
    const line = totalBytes === undefined ? `${label} ${formatBytes(done)}` : renderBar(label, done, totalBytes);
    if (line !== lastDrawn) stderr.write(`\r${line}`);
    lastDrawn = line;
    lastDrawnAt = now();
  };
  for await (const chunk of stream) {
    done += chunk.byteLength;
    draw(false);
    yield chunk;
  }
  // The last state is always shown, however soon after the previous redraw it comes.
  draw(true);
  if (lastDrawn !== '') stderr.write('\n');
}

/** One line of the progress bar: `get [##########----------]  50% 5.0 MiB / 10.0 MiB`. */
export function renderBar(label: string, done: number, total: number): string {
  const fraction = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(fraction * barWidth);
  const percent = String(Math.floor(fraction * 100)).padStart(3);
  return `${label} [${'#'.repeat(filled)}${'-'.repeat(barWidth - filled)}] ${percent}% ${formatBytes(done)} / ${formatBytes(total)}`;
}
