import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { CliIo } from './cli-io.js';

/** Asks a yes/no question on the terminal; only `y` or `yes` is a yes. */
export async function confirm(io: CliIo, question: string): Promise<boolean> {
  io.stderr.write(`${question} [y/N] `);
  const lines = createInterface({ input: io.stdin, terminal: false });
  try {
    const [answer] = (await once(lines, 'line', { signal: io.signal })) as [string];
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    lines.close();
  }
}
