// Starts fauxqs-child.mjs and resolves with its endpoint and `stop()` once the emulator listens.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { fileURLToPath, URL } from 'node:url';

/** fauxqs in a child process on a free loopback port. */
export async function startFauxqsProcess() {
  const child = spawn(process.execPath, [fileURLToPath(new URL('./fauxqs-child.mjs', import.meta.url))], { stdio: ['pipe', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  const [line] = await Promise.race([
    once(createInterface({ input: child.stdout }), 'line'),
    exited.then(([code]) => Promise.reject(new Error(`fauxqs exited with ${code} before listening`))),
  ]);
  return { endpoint: `http://127.0.0.1:${JSON.parse(line).port}`, stop };
}
