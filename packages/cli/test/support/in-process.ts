import { PassThrough, Writable } from 'node:stream';
import { main } from '../../src/main.js';

/** What one in-process run of `main` did. */
export interface InProcessRun {
  code: number;
  stdout: string;
  stderr: string;
}

class Capture extends Writable {
  text = '';
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.text += chunk.toString();
    done();
  }
}

/**
 * Runs `main` in this process with streams that claim to be terminals (or not), for what only a TTY
 * sees: confirmations and the empty-store line. `answer` is what the user types on stdin.
 */
export async function runOnTerminal(args: string[], env: Record<string, string>, { tty = true, answer = '' } = {}): Promise<InProcessRun> {
  const stdin = Object.assign(new PassThrough(), { isTTY: tty });
  stdin.end(answer);
  const stdout = new Capture(tty);
  const stderr = new Capture(tty);
  const code = await main(args, { stdin, stdout, stderr, env, signal: new AbortController().signal });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
