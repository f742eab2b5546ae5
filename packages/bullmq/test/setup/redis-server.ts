import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A redis-server started for the tests, and how to stop it. */
export interface RunningRedis {
  host: string;
  port: number;
  /** Resolves when the server has exited, however it was stopped. */
  exited: Promise<void>;
  stop(): Promise<void>;
}

/** Starts Debian's redis-server on `port` (default: a free loopback port), in memory only (no RDB, no AOF). */
export async function startRedis(port?: number): Promise<RunningRedis> {
  port ??= await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let output = '';
    child.once('error', reject);
    child.once('exit', (code) => {
      reject(new Error(`redis-server exited with ${String(code)} before it was ready: ${output}`));
    });
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    });
  });
  const running = () => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<void>((resolve) => {
    if (!running()) resolve();
    else child.once('exit', () => {
      resolve();
    });
  });
  return {
    host: '127.0.0.1',
    port,
    exited,
    stop: async () => {
      if (running()) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A free TCP port on 127.0.0.1 (also used by tools/release-check for its registry). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address === null || typeof address === 'string') reject(new Error('no port'));
        else resolve(address.port);
      });
    });
  });
}
