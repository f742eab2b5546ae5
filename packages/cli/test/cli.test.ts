import { randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, type Stats } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseReference, type Reference } from '@claimcheck/manager';
import { FilesystemStore } from '@claimcheck/store-fs';
import manifest from '../package.json' with { type: 'json' };
import { runOnTerminal } from './support/in-process.js';
import { runCli } from './support/run-cli.js';

let dir: string;
let env: Record<string, string>;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'claimcheck-cli-'));
  env = { BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: join(dir, 'blobs') };
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const blobs = () => env.BLOB_STORAGE_PATH ?? '';
// How the CLI names the store: the provider's summary, with the variable that set each value.
const where = () => `filesystem store, basePath=${blobs()} (BLOB_STORAGE_PATH)`;

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

  it('get of a corrupted blob to stdout writes no byte; --stream writes them and fails after', async () => {
    const content = randomBytes(100_000);
    const { text, reference } = await put(content);
    const blobFile = join(blobs(), reference.key);
    const blob = await readFile(blobFile);
    blob[500] = (blob[500] ?? 0) ^ 0xff;
    await writeFile(blobFile, blob);
    const verified = await runCli(['get', text], env);
    expect(verified.code).toBe(5);
    expect(verified.stdout.byteLength).toBe(0);
    expect(verified.stderr).toMatch(/^claimcheck: INTEGRITY: get failed: .*\(filesystem store, basePath=.* \(BLOB_STORAGE_PATH\)\)\n$/);
    const streamed = await runCli(['get', text, '--stream'], env);
    expect(streamed.code).toBe(5);
    expect(streamed.stdout.byteLength).toBe(content.byteLength);
  });

  it('get to stdout spools in a private temp dir and leaves nothing behind', async () => {
    const content = randomBytes(200_000);
    const { text } = await put(content);
    const tmp = join(dir, 'tmp');
    await mkdir(tmp);
    const run = await runCli(['get', text], { ...env, TMPDIR: tmp });
    expect(run.code).toBe(0);
    expect(run.stdout.equals(content)).toBe(true);
    expect(await readdir(tmp)).toEqual([]);
    const dash = await runCli(['get', text, '-o', '-'], { ...env, TMPDIR: tmp });
    expect(dash.stdout.equals(content)).toBe(true);
  });

  it('get -o refuses a symlink, directory, FIFO or socket before downloading a byte, and leaves it as it was', async () => {
    // The reference names a blob that does not exist: downloading would fail with NOT_FOUND (exit 3).
    const { text, reference } = await put(randomBytes(10));
    await rm(join(blobs(), reference.key));
    const target = join(dir, 'target');
    await writeFile(target, 'keep me');
    await symlink(target, join(dir, 'link'));
    await mkdir(join(dir, 'folder'));
    await promisify(execFile)('mkfifo', [join(dir, 'fifo')]);
    const server = createServer().listen(join(dir, 'socket'));
    await once(server, 'listening');
    try {
      for (const [name, kind, isKind] of [
        ['link', 'a symlink', (info: Stats) => info.isSymbolicLink()],
        ['folder', 'a directory', (info: Stats) => info.isDirectory()],
        ['fifo', 'a FIFO', (info: Stats) => info.isFIFO()],
        ['socket', 'a socket', (info: Stats) => info.isSocket()],
      ] as const) {
        const output = join(dir, name);
        const run = await runCli(['get', text, '-o', output], env);
        expect(run.code, name).toBe(2);
        expect(run.stderr, name).toContain(`USAGE: -o ${output} exists and is ${kind}, not a regular file`);
        expect(isKind(await lstat(output)), name).toBe(true);
      }
      expect(await readFile(target, 'utf8')).toBe('keep me');
    } finally {
      server.close();
    }
  });

  it('get - reads at most 64 KiB of stdin, and says why beyond', async () => {
    const run = await runCli(['get', '-'], env, Buffer.alloc(1024 * 1024, 'x'));
    expect(run.code).toBe(6);
    expect(run.stderr).toBe('claimcheck: INVALID_REFERENCE: get failed: standard input holds more than 64 KiB, so it is not a reference (a reference is a few hundred bytes)\n');
  });

  it('get of something that is not a reference exits 6 with INVALID_REFERENCE, naming get, not library functions', async () => {
    const run = await runCli(['get', '-'], env, '{"claimcheck":"reference","version":1}');
    expect(run.code).toBe(6);
    expect(run.stderr).toMatch(/^claimcheck: INVALID_REFERENCE: get failed: /);
    expect(run.stderr).not.toMatch(/parseReference|manager/);
  });

  it('put of a missing file exits 1 with one line naming ENOENT', async () => {
    const run = await runCli(['put', join(dir, 'missing')], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^claimcheck: ENOENT: [^\n]+\n$/);
  });
});

describe('claimcheck rm, ls, stats, sweep and health', () => {
  it('rm --yes deletes the blob; get then exits 3 with NOT_FOUND; rm again says there is nothing to remove', async () => {
    const { text, reference } = await put(randomBytes(1000));
    const rm = await runCli(['rm', text, '--yes'], env);
    expect(rm.code).toBe(0);
    expect(rm.stdout.toString()).toBe(`removed ${reference.key}\n`);
    // A store held open by the existence check would print CLOSE_INCOMPLETE here after its close timeout.
    expect(rm.stderr).toBe('');
    const get = await runCli(['get', text], env);
    expect(get.code).toBe(3);
    expect(get.stderr).toMatch(new RegExp(`^claimcheck: NOT_FOUND: get failed: .*${reference.key}`));
    const again = await runCli(['rm', reference.key, '--yes'], env);
    expect(again.code).toBe(0);
    expect(again.stderr).toBe('');
    expect(again.stdout.toString()).toBe(`nothing to remove: no blob ${reference.key} in ${where()}\n`);
  });

  it('rm without a terminal to confirm on refuses unless --yes, and deletes nothing', async () => {
    const { reference } = await put(randomBytes(1000));
    const rm = await runCli(['rm', reference.key], env);
    expect(rm.code).toBe(2);
    expect(rm.stderr).toMatch(/^claimcheck: USAGE: rm deletes for good and there is no terminal to confirm on: pass --yes/);
    expect(existsSync(join(blobs(), reference.key))).toBe(true);
  });

  it('rm on a terminal asks first: no keeps the blob, y deletes it', async () => {
    const { reference } = await put(randomBytes(1000));
    const declined = await runOnTerminal(['rm', reference.key], env, { answer: 'n\n' });
    expect(declined.stderr).toBe(`delete blob ${reference.key} from ${where()}? [y/N] `);
    expect(declined.stdout).toBe(`kept ${reference.key}\n`);
    expect(existsSync(join(blobs(), reference.key))).toBe(true);
    const confirmed = await runOnTerminal(['rm', reference.key], env, { answer: 'y\n' });
    expect(confirmed.code).toBe(0);
    expect(confirmed.stdout).toBe(`removed ${reference.key}\n`);
    expect(existsSync(join(blobs(), reference.key))).toBe(false);
  });

  it('ls of an empty store prints one line saying so on a terminal, and nothing into a pipe', async () => {
    const onTerminal = await runOnTerminal(['ls'], env);
    expect(onTerminal.code).toBe(0);
    expect(onTerminal.stdout).toBe(`no blobs in ${where()}\n`);
    expect((await runCli(['ls'], env)).stdout.toString()).toBe('');
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
    expect(stats).toMatchObject({ store: 'filesystem', options: { basePath: blobs() }, blobs: 2, totalBytes: 4000, largestBytes: 3000 });
    const text = (await runCli(['stats'], env)).stdout.toString();
    expect(text).toMatch(/blobs:\s+2\n/);
    expect(text).toContain(`store:    ${where()}\n`);
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

  it('sweep --prefix removes only old blobs under that prefix, and refuses a malformed prefix', async () => {
    const store = new FilesystemStore({ basePath: blobs() });
    const billing = await store.put(randomBytes(1000), { keyPrefix: 'ns/billing/wf/q3' });
    const billingFresh = await store.put(randomBytes(1000), { keyPrefix: 'ns/billing' });
    const other = await store.put(randomBytes(1000), { keyPrefix: 'ns/billing-eu' });
    const root = await store.put(randomBytes(1000));
    await store.close();
    const tenDaysAgo = new Date(Date.now() - 10 * 86_400_000);
    for (const key of [billing, other, root]) await utimes(join(blobs(), ...key.split('/')), tenDaysAgo, tenDaysAgo);
    const sweep = await runCli(['sweep', '--older-than', '7d', '--prefix', 'ns/billing'], env);
    expect(sweep.stderr).toBe('');
    expect(sweep.stdout.toString()).toMatch(/^removed 1 blob \(1000 B\) older than 7d under ns\/billing\/ from /);
    const keys = (JSON.parse((await runCli(['ls', '--json'], env)).stdout.toString()) as { key: string }[]).map(({ key }) => key);
    expect(keys.sort()).toEqual([billingFresh, other, root].sort());
    const refused = await runCli(['sweep', '--older-than', '7d', '--prefix', '../etc'], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--prefix takes a key prefix such as ns\/billing/);
  });

  it('health prints ok and the path in use, with the variable it came from', async () => {
    const run = await runCli(['health'], env);
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toBe(`ok: ${where()} is usable\n`);
  });

  it('with BLOB_STORAGE_PATH unset, health and stats show the default path ~/.claimcheck/data/blobs', async () => {
    const home = join(dir, 'home');
    const defaults = { BLOB_STORAGE_TYPE: 'filesystem', HOME: home };
    const path = join(home, '.claimcheck', 'data', 'blobs');
    expect((await runCli(['health'], defaults)).stdout.toString()).toBe(
      'ok: filesystem store, basePath=~/.claimcheck/data/blobs (default; BLOB_STORAGE_PATH unset) is usable\n',
    );
    expect(JSON.parse((await runCli(['stats', '--json'], defaults)).stdout.toString())).toMatchObject({ store: 'filesystem', options: {}, blobs: 0 });
    expect(existsSync(path)).toBe(true);
  });

  it('sweep on an R2 store with no key prefix refuses unless --whole-bucket, before touching the bucket', async () => {
    // Nothing listens on port 9: a sweep that reached the bucket would fail with UNAVAILABLE instead.
    const r2 = { BLOB_STORAGE_TYPE: 'r2', R2_BUCKET: 'shared', R2_ENDPOINT: 'http://127.0.0.1:9', R2_ACCESS_KEY_ID: 'id', R2_SECRET_ACCESS_KEY: 'secret' };
    const refused = await runCli(['sweep', '--older-than', '7d'], r2);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^claimcheck: USAGE: sweep would delete every old UUID-named object in r2 store, bucket=shared \(R2_BUCKET\), endpoint=http:\/\/127\.0\.0\.1:9 \(R2_ENDPOINT\), keyPrefix='' \(default; R2_KEY_PREFIX unset\), other applications' too: set R2_KEY_PREFIX to the store's keyPrefix, or pass --whole-bucket/);
    const allowed = await runCli(['sweep', '--older-than', '7d', '--whole-bucket'], r2);
    expect(allowed.code).toBe(7);
    const prefixed = await runCli(['sweep', '--older-than', '7d'], { ...r2, R2_KEY_PREFIX: 'claimcheck/' });
    expect(prefixed.code).toBe(7);
    expect(prefixed.stderr).toContain('r2 store, bucket=shared (R2_BUCKET), endpoint=http://127.0.0.1:9 (R2_ENDPOINT), keyPrefix=claimcheck/ (R2_KEY_PREFIX)');
  });

  it('a bad configuration exits 4 with INVALID_CONFIG naming the variable', async () => {
    const run = await runCli(['health'], { BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_LAYOUT: 'spiral' });
    expect(run.code).toBe(4);
    expect(run.stderr).toMatch(/^claimcheck: INVALID_CONFIG: .*BLOB_STORAGE_LAYOUT="spiral"[^\n]*\n$/);
    const missing = await runCli(['health'], { BLOB_STORAGE_TYPE: '@acme/claimcheck-store-nowhere' });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/^claimcheck: BACKEND_NOT_INSTALLED: .*npm install @acme\/claimcheck-store-nowhere\n$/);
  });

  it('no configuration at all exits 4 and shows how to choose local mode', async () => {
    const run = await runCli(['health'], {});
    expect(run.code).toBe(4);
    expect(run.stderr).toContain('BLOB_STORAGE_TYPE=filesystem');
  });
});

describe('a third party’s store', () => {
  it('is used by setting BLOB_STORAGE_TYPE alone: put, get, ls, stats and rm work on it unchanged', async () => {
    const acme = { BLOB_STORAGE_TYPE: '@acme/claimcheck-store-x', ACME_STORE_DIR: join(dir, 'acme') };
    const content = randomBytes(100_000);
    const file = join(dir, 'input.bin');
    await writeFile(file, content);
    const putRun = await runCli(['put', file], acme);
    expect(putRun.stderr).toBe('');
    const reference = parseReference(putRun.stdout.toString().trim());
    expect(reference.storage).toBe('acme');
    expect(await readdir(acme.ACME_STORE_DIR)).toEqual([reference.key]);
    expect((await runCli(['get', putRun.stdout.toString().trim()], acme)).stdout.equals(content)).toBe(true);
    expect((await runCli(['ls'], acme)).stdout.toString()).toContain(reference.key);
    const stats = JSON.parse((await runCli(['stats', '--json'], acme)).stdout.toString()) as Record<string, unknown>;
    expect(stats).toMatchObject({ store: 'acme', options: { directory: acme.ACME_STORE_DIR }, blobs: 1 });
    const removed = await runCli(['rm', reference.key, '--yes'], acme);
    expect(removed.stdout.toString()).toBe(`removed ${reference.key}\n`);
    expect(await readdir(acme.ACME_STORE_DIR)).toEqual([]);
  });
});

describe('claimcheck usage', () => {
  it('--help works for the command and every subcommand', async () => {
    const top = await runCli(['--help'], {});
    expect(top.code).toBe(0);
    const commands = ['put', 'get', 'rm', 'ls', 'health', 'sweep', 'stats'];
    for (const command of commands) expect(top.stdout.toString()).toContain(`  ${command}`);
    expect(top.stdout.toString()).toContain('claimcheck --version');
    // The environment section comes from the descriptions: the manager's variables, then each store's.
    for (const line of ['  CLAIMCHECK_THRESHOLD_BYTES (integer, default 51200)', '    BLOB_STORAGE_PATH (string, default ~/.claimcheck/data/blobs)', '    BLOB_STORAGE_DURABLE (boolean, default false)', '    R2_SECRET_ACCESS_KEY (string, secret)', '    R2_MAX_ATTEMPTS (integer, default 3)']) {
      expect(top.stdout.toString()).toContain(`${line}\n`);
    }
    for (const command of commands) {
      const help = await runCli([command, '--help'], {});
      expect(help.code, command).toBe(0);
      expect(help.stdout.toString()).toMatch(new RegExp(`^usage: claimcheck ${command}`));
    }
  });

  it('--version prints the package version', async () => {
    const run = await runCli(['--version'], {});
    expect(run.code).toBe(0);
    expect(run.stdout.toString()).toBe(`claimcheck ${manifest.version}\n`);
  });

  it('argument mistakes are explained in the CLI\'s own words', async () => {
    const cases: [string[], string][] = [
      [['get', '--bogus'], 'unknown option --bogus'],
      [['get', '-x'], 'unknown option -x'],
      [['sweep', '--older-than', '-1d'], '--older-than takes a duration such as 7d, 12h, 30m or 45s, not "-1d"'],
      [['ls', '--json=yes'], '--json takes no value'],
      [['get', 'ref', '-o'], '--output needs a value'],
    ];
    for (const [args, message] of cases) {
      const run = await runCli(args, env);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toBe(`claimcheck: USAGE: ${message} (usage: claimcheck ${args[0] ?? ''}${run.stderr.split(`usage: claimcheck ${args[0] ?? ''}`)[1] ?? ''}`);
      expect(run.stderr).not.toMatch(/ambiguous|as in|ERR_PARSE_ARGS/);
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
