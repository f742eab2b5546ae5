import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/miniflare.js';
import { packageDir, readmeBlock } from './support/readme-blocks.js';

// The README's wrangler.toml and Worker, run by `wrangler dev` as the README tells a user to: a project
// of its own outside the repository, whose node_modules holds the built packages as an install would,
// with wrangler's own bundler, workerd and local R2 bucket and queue.
const wrangler = join(packageDir, 'node_modules/wrangler/bin/wrangler.js');
const bucket = /^bucket_name = "([^"]+)"$/m.exec(readmeBlock('starts workerd with these bindings', 'toml'))?.[1] ?? '';

// No telemetry, no prompts, no account: wrangler dev runs locally only.
const wranglerEnv = { ...process.env, CI: '1', WRANGLER_SEND_METRICS: 'false', NO_D1_WARNING: 'true' };
let project = '';
let dev: ChildProcess | undefined;
let output = '';
let origin = '';

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'claimcheck-wrangler-'));
  await mkdir(join(project, 'src'));
  await mkdir(join(project, 'node_modules/@claimcheck'), { recursive: true });
  await writeFile(join(project, 'wrangler.toml'), readmeBlock('starts workerd with these bindings', 'toml'));
  await writeFile(join(project, 'src/index.ts'), readmeBlock('bundles this block and runs it in workerd', 'ts'));
  // The three packages of the README's install line, as built.
  await symlink(packageDir, join(project, 'node_modules/@claimcheck/cloudflare'));
  for (const name of ['manager', 'core']) await symlink(join(packageDir, 'node_modules/@claimcheck', name), join(project, 'node_modules/@claimcheck', name));
  const [port, inspectorPort] = [await freePort(), await freePort()];
  origin = `http://127.0.0.1:${port}`;
  dev = spawn(process.execPath, [wrangler, 'dev', '--ip', '127.0.0.1', '--port', String(port), '--inspector-port', String(inspectorPort), '--persist-to', join(project, 'state')], {
    cwd: project,
    env: wranglerEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  dev.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  dev.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(dev, 'exit').then(([code]) => {
    throw new Error(`wrangler dev exited (${String(code)}) before it was ready:\n${output}`);
  });
  await Promise.race([exited, eventually('wrangler dev to be ready', async () => (output.includes('Ready on') ? true : undefined), 3600)]);
}, 240_000);

afterAll(async () => {
  if (dev !== undefined && dev.exitCode === null) {
    const exited = once(dev, 'exit');
    dev.kill('SIGTERM');
    await exited;
  }
  await rm(project, { recursive: true, force: true });
}, 60_000);

/** The object `key` of the local bucket, through wrangler's own CLI (the README Worker has no route that reads it). */
async function localObject(key: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [wrangler, 'r2', 'object', 'get', `${bucket}/${key}`, '--local', '--pipe', '--persist-to', join(project, 'state')], {
      cwd: project,
      env: wranglerEnv,
    });
    return stdout;
  } catch {
    return undefined;
  }
}

describe('the README example under `wrangler dev`', () => {
  it('carries a 100 000-row report (about 2.9 MB, over the 128 KB a message may hold) and a 10-row one from the producer to the consumer', async () => {
    const queued = async (rows: number) => ((await (await fetch(`${origin}/?rows=${rows}`)).json()) as { queued: string }).queued;
    const [large, small] = [await queued(100_000), await queued(10)];
    // The consumer writes a summary per report: it exists only once the report arrived whole.
    expect(JSON.parse(await eventually('the large summary', () => localObject(`summaries/${large}.json`), 120))).toEqual({ rows: 100_000, failed: 0 });
    expect(JSON.parse(await eventually('the small summary', () => localObject(`summaries/${small}.json`), 120))).toEqual({ rows: 10, failed: 0 });
    expect(output).not.toMatch(/✘|\[ERROR\]/);
  }, 240_000);
});
