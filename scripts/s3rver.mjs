// Starts s3rver in a child process on a free loopback port, in a temp directory, with one bucket;
// shared by the store-r2, manager and example tests and the benchmarks. `stop()` ends the child and removes the directory.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import process from 'node:process';
import { fileURLToPath, URL } from 'node:url';

const childScript = fileURLToPath(new URL('./s3rver-child.mjs', import.meta.url));

/** Starts s3rver with `bucket`; resolves once it listens, with its endpoint, credentials and `stop()`. */
export async function startS3rver({ bucket = 'claimcheck-test' } = {}) {
  const directory = await mkdtemp(join(tmpdir(), 'claimcheck-s3rver-'));
  const child = spawn(process.execPath, ['--openssl-legacy-provider', childScript, directory, bucket], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    await rm(directory, { recursive: true, force: true });
  };
  try {
    const port = await new Promise((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`s3rver exited with ${code} before listening`)));
      createInterface({ input: child.stdout }).once('line', (line) => resolve(JSON.parse(line).port));
    });
    return {
      server: 's3rver',
      endpoint: `http://127.0.0.1:${port}`,
      bucket,
      region: 'auto',
      accessKeyId: 'S3RVER',
      secretAccessKey: 'S3RVER',
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
