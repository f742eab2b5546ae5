import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../../packages/bullmq/test/setup/redis-server.js';
import { run } from './workspace.js';

/** A verdaccio on loopback that holds the packed @claimcheck packages, and how to stop it. */
export interface LocalRegistry {
  url: string;
  publish(tarball: string): Promise<void>;
  stop(): Promise<void>;
}

/** Starts verdaccio (from `verdaccioBin`) on a free 127.0.0.1 port; only @claimcheck/* lives there, nothing is proxied. */
export async function startLocalRegistry(verdaccioBin: string): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'claimcheck-registry-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/`;
  await writeFile(
    join(dir, 'config.yaml'),
    [
      `storage: ${join(dir, 'storage')}`,
      'auth:',
      '  htpasswd:',
      `    file: ${join(dir, 'htpasswd')}`,
      'uplinks: {}',
      'packages:',
      "  '@claimcheck/*':",
      '    access: $all',
      '    publish: $authenticated',
      'log: { type: stdout, format: pretty, level: warn }',
      '',
    ].join('\n'),
  );
  const child = spawn(process.execPath, [verdaccioBin, '--config', join(dir, 'config.yaml'), '--listen', `127.0.0.1:${port}`], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitForPing(url, child, () => output);
    const token = await addUser(url);
    const userconfig = join(dir, 'publish.npmrc');
    await writeFile(userconfig, `//127.0.0.1:${port}/:_authToken=${token}\n`);
    return {
      url,
      // A local registry can carry no provenance: that is the release workflow's, on GitHub.
      publish: async (tarball) => {
        await run('npm', ['publish', tarball, '--registry', url, '--userconfig', userconfig, '--provenance=false', '--access', 'public'], dir);
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function waitForPing(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`verdaccio exited with ${String(child.exitCode)}: ${output()}`);
    const ok = await fetch(new URL('-/ping', url)).then((response) => response.ok, () => false);
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`verdaccio did not answer at ${url} within 120 s: ${output()}`);
}

/** Registers a user, as `npm adduser` would, and returns its token. */
async function addUser(url: string): Promise<string> {
  const response = await fetch(new URL('-/user/org.couchdb.user:release-check', url), {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'release-check', password: 'release-check' }),
  });
  const body = (await response.json()) as { token?: string };
  if (!response.ok || body.token === undefined) throw new Error(`verdaccio refused the user: ${response.status} ${JSON.stringify(body)}`);
  return body.token;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
    child.kill('SIGTERM');
  });
}
