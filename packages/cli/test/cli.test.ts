import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseReference, type Reference } from '@claimcheck/manager';
import { runCli } from './support/run-cli.js';

let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'claimcheck-cli-'));
  env = { BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: join(dir, 'blobs') };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function put(content: Uint8Array): Promise<{ text: string; reference: Reference }> {
  const file = join(dir, `input-${Math.random()}`);
  await writeFile(file, content);
  const run = await runCli(['put', file], env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  const text = run.stdout.toString().trim();
  return { text, reference: parseReference(text) };
}

describe('claimcheck put and get', () => {
  it('put prints a reference that get turns back into the exact bytes', async () => {
    const content = randomBytes(300_000);
    const { text, reference } = await put(content);
    expect(reference).toMatchObject({ storage: 'filesystem', size: content.byteLength });
    const get = await runCli(['get', text], env);
    expect(get.code).toBe(0);
    expect(get.stdout.equals(content)).toBe(true);
  });

  it('put reads stdin, and get reads the reference from stdin or a file and writes -o FILE', async () => {
    const content = Buffer.from('small payloads are stored too\n'.repeat(10));
    const putRun = await runCli(['put', '-'], env, content);
    expect(putRun.code).toBe(0);
    const fromStdin = await runCli(['get', '-'], env, putRun.stdout);
    expect(fromStdin.stdout.equals(content)).toBe(true);
    const referenceFile = join(dir, 'reference.txt');
    await writeFile(referenceFile, putRun.stdout);
    const output = join(dir, 'out.bin');
    const toFile = await runCli(['get', referenceFile, '-o', output], env);
    expect(toFile.code).toBe(0);
    expect((await readFile(output)).equals(content)).toBe(true);
    expect((await readdir(dir)).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('get of a corrupted blob exits 5 with INTEGRITY and never creates the -o file', async () => {
    const { text, reference } = await put(randomBytes(100_000));
    const blobFile = join(env.BLOB_STORAGE_PATH ?? '', reference.key);
    const blob = await readFile(blobFile);
    blob[500] = (blob[500] ?? 0) ^ 0xff;
    await writeFile(blobFile, blob);
    const output = join(dir, 'never.bin');
    const run = await runCli(['get', text, '-o', output], env);
    expect(run.code).toBe(5);
    expect(run.stderr).toMatch(/^claimcheck: INTEGRITY: .+\n$/);
    expect(existsSync(output)).toBe(false);
    expect((await readdir(dir)).filter((name) => name.endsWith('.part'))).toEqual([]);
  });

  it('get of something that is not a reference exits 6 with INVALID_REFERENCE', async () => {
    const run = await runCli(['get', '-'], env, '{"claimcheck":"reference","version":1}');
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/^claimcheck: INVALID_REFERENCE: /);
  });

  it('put of a missing file exits 1 with one line naming ENOENT', async () => {
    const run = await runCli(['put', join(dir, 'missing')], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^claimcheck: ENOENT: [^\n]+\n$/);
  });
});

describe('claimcheck rm, ls, stats, sweep and health', () => {
  it('rm deletes the blob; get then exits 3 with NOT_FOUND; rm again succeeds', async () => {
    const { text, reference } = await put(randomBytes(1000));
    expect((await runCli(['rm', text], env)).code).toBe(0);
    const get = await runCli(['get', text], env);
    expect(get.code).toBe(3);
    expect(get.stderr).toMatch(new RegExp(`^claimcheck: NOT_FOUND: .*${reference.key}`));
    expect((await runCli(['rm', reference.key], env)).code).toBe(0);
  });

  it('ls lists every key with its size and age, and --json is machine-readable', async () => {
    const first = await put(randomBytes(2048));
    const second = await put(randomBytes(10));
    const text = (await runCli(['ls'], env)).stdout.toString();
    expect(text).toContain(first.reference.key);
    expect(text).toMatch(new RegExp(`${second.reference.key}\\s+10 B\\s+\\d+s`));
    const listed = JSON.parse((await runCli(['ls', '--json'], env)).stdout.toString()) as { key: string; size: number; ageSeconds: number }[];
    expect(listed.map(({ key }) => key).sort()).toEqual([first.reference.key, second.reference.key].sort());
    expect(listed.find(({ key }) => key === second.reference.key)?.size).toBe(10);
  });

  it('ls --json of an empty store is an empty array', async () => {
    expect(JSON.parse((await runCli(['ls', '--json'], env)).stdout.toString())).toEqual([]);
  });

  it('stats counts the blobs and their bytes', async () => {
    await put(randomBytes(1000));
    await put(randomBytes(3000));
    const stats = JSON.parse((await runCli(['stats', '--json'], env)).stdout.toString()) as Record<string, unknown>;
    expect(stats).toMatchObject({ store: 'filesystem', blobs: 2, totalBytes: 4000, largestBytes: 3000 });
    expect((await runCli(['stats'], env)).stdout.toString()).toMatch(/blobs:\s+2\n/);
  });

  it('sweep removes only blobs older than the duration, and --dry-run removes nothing', async () => {
    const old = await put(randomBytes(1000));
    const fresh = await put(randomBytes(1000));
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    await utimes(join(env.BLOB_STORAGE_PATH ?? '', old.reference.key), tenDaysAgo, tenDaysAgo);
    const dryRun = await runCli(['sweep', '--older-than', '7d', '--dry-run'], env);
    expect(dryRun.stdout.toString()).toMatch(/would remove 1 blob/);
    const sweep = await runCli(['sweep', '--older-than', '7d'], env);
    expect(sweep.code).toBe(0);
    expect(sweep.stdout.toString()).toMatch(/removed 1 blob and 0 temp files/);
    const keys = (JSON.parse((await runCli(['ls', '--json'], env)).stdout.toString()) as { key: string }[]).map(({ key }) => key);
    expect(keys).toEqual([fresh.reference.key]);
  });

  it('health prints ok for a usable store', async () => {
    const run = await runCli(['health'], env);
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toBe('ok: filesystem store is usable\n');
  });

  it('a bad configuration exits 4 with INVALID_CONFIG naming the variable', async () => {
    const run = await runCli(['health'], { BLOB_STORAGE_TYPE: 's3' });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^claimcheck: INVALID_CONFIG: .*BLOB_STORAGE_TYPE="s3"[^\n]*\n$/);
  });

  it('no configuration at all exits 4 and shows how to choose local mode', async () => {
    const run = await runCli(['health'], {});
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('BLOB_STORAGE_TYPE=filesystem');
  });
});

describe('claimcheck usage', () => {
  it('--help works for the command and every subcommand', async () => {
    const top = await runCli(['--help'], {});
    expect(top.code).toBe(0);
    const commands = ['put', 'get', 'rm', 'ls', 'health', 'sweep', 'stats'];
    for (const command of commands) expect(top.stdout.toString()).toContain(`  ${command}`);
    for (const command of commands) {
      const help = await runCli([command, '--help'], {});
      expect(help.code, command).toBe(0);
      expect(help.stdout.toString()).toMatch(new RegExp(`^usage: claimcheck ${command}`));
    }
  });

  it('mistakes exit 2 with one USAGE line', async () => {
    for (const args of [['frobnicate'], ['sweep'], ['sweep', '--older-than', 'soon'], ['ls', 'extra'], ['get', '--nope']]) {
      const run = await runCli(args, env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^claimcheck: USAGE: [^\n]+\n$/);
    }
  });
});
