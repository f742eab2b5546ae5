import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type RunningS3rver } from '../../../scripts/s3rver.mjs';

const main = fileURLToPath(new URL('../src/main.mjs', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const ownBlobs = fileURLToPath(new URL('../demo-blobs', import.meta.url));

interface DemoRun {
  storage: string;
  location: string;
  steps: { step: string; bytes: number; sha256: string; offloaded: boolean; encoding: string | null; key: string | null }[];
  result: string;
  tryIt: { step: string; bytes: number; reference: string; command: string };
  metrics: { offloaded: number; inline: number; retrieved: number; passedThrough: number; errors: Record<string, number>; bytesOffloaded: number; bytesStored: number };
}

async function runDemoText(env: Record<string, string>, args: string[] = []): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [main, ...args], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TMPDIR: process.env.TMPDIR ?? '', ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

async function runDemo(env: Record<string, string>): Promise<DemoRun> {
  return JSON.parse(await runDemoText(env, ['--json'])) as DemoRun;
}

describe('the workflow-runner demo, end to end', () => {
  let dir: string;
  let s3: RunningS3rver;
  let filesystem: DemoRun;
  let r2: DemoRun;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'claimcheck-demo-e2e-'));
    s3 = await startS3rver({ bucket: 'demo' });
    filesystem = await runDemo({ BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: join(dir, 'blobs') });
    r2 = await runDemo({
      BLOB_STORAGE_TYPE: 'r2',
      R2_BUCKET: s3.bucket,
      R2_ENDPOINT: s3.endpoint,
      R2_ACCESS_KEY_ID: s3.accessKeyId,
      R2_SECRET_ACCESS_KEY: s3.secretAccessKey,
    });
  }, 120_000);
  afterAll(async () => {
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
    await rm(ownBlobs, { recursive: true, force: true });
  });

  it('starts by saying what a claim check is, and explains "passed through"', async () => {
    const text = await runDemoText({ BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: join(dir, 'text-blobs') });
    expect(text.split('\n').slice(0, 3).join(' ')).toMatch(/^A claim check: a payload too large to pass along .* stored in an object store, and a small reference .* gets the exact bytes back\./);
    expect(text).toContain(`Blobs are in the filesystem store at ${join(dir, 'text-blobs')}:`);
    expect(text).toMatch(/passed through 3\n {2}\(passed through: messages that retrieve\(\) got with no reference in them/);
  });

  it('prints a real reference and a claimcheck get command that, pasted into a shell, gets its bytes back', async () => {
    expect(filesystem.tryIt.step).toBe('fetch-orders');
    const text = await runDemoText({ BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: join(dir, 'blobs') });
    const command = /^ {2}(BLOB_STORAGE_TYPE=filesystem .*pnpm exec claimcheck get .*)$/m.exec(text)?.[1];
    expect(command).toBeDefined();
    const { stdout } = await promisify(execFile)('sh', ['-c', command ?? 'false'], { cwd: join(repoRoot, 'packages') });
    expect(Number(stdout.trim())).toBe(filesystem.tryIt.bytes);
    expect(filesystem.tryIt.bytes).toBe(filesystem.steps[0]?.bytes);
  });

  it('with no configuration uses its own directory, emptied at every run rather than growing', async () => {
    for (let run = 0; run < 2; run++) {
      const ownRun = await runDemo({});
      expect(ownRun.location).toBe(ownBlobs);
      // The blobs, not the store's own dotfiles (its layout marker).
      expect((await readdir(ownBlobs)).filter((name) => !name.startsWith('.')).length).toBe(3);
    }
  });

  it('offloads the large steps and passes the small ones inline', () => {
    expect(filesystem.steps.map(({ step, offloaded }) => [step, offloaded])).toEqual([
      ['fetch-orders', true],
      ['price-orders', true],
      ['summarize-by-region', false],
      ['render-report-archive', true],
      ['notify', false],
    ]);
    expect(filesystem.steps.find(({ step }) => step === 'render-report-archive')?.encoding).toBe('identity');
    expect(filesystem.steps.find(({ step }) => step === 'fetch-orders')?.encoding).toBe('zstd');
  });

  it('creates a file for every offloaded step in filesystem mode', async () => {
    for (const { key } of filesystem.steps.filter(({ offloaded }) => offloaded)) {
      const file = join(filesystem.location, key ?? '');
      expect(existsSync(file), file).toBe(true);
      expect((await readFile(file)).byteLength).toBeGreaterThan(0);
    }
  });

  it('creates an object for every offloaded step in R2 mode', async () => {
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: 'auto',
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
    client.destroy();
    const objects = (listed.Contents ?? []).map(({ Key }) => Key ?? '');
    for (const { key } of r2.steps.filter(({ offloaded }) => offloaded)) {
      expect(objects.some((name) => name.endsWith(key ?? '?'))).toBe(true);
    }
  });

  it('produces identical outputs in both modes', () => {
    expect(r2.storage).toBe('r2');
    expect(filesystem.storage).toBe('filesystem');
    const outputs = (run: DemoRun) => run.steps.map(({ step, bytes, sha256, offloaded, encoding }) => ({ step, bytes, sha256, offloaded, encoding }));
    expect(outputs(r2)).toEqual(outputs(filesystem));
    expect(r2.result).toBe(filesystem.result);
    expect(JSON.parse(filesystem.result)).toMatchObject({ notified: 'ops@example.com' });
  });

  it('reports the metrics the run implies, the same in both modes', () => {
    for (const run of [filesystem, r2]) {
      expect(run.metrics).toMatchObject({ offloaded: 3, inline: 2, retrieved: 3, passedThrough: 3, errors: {} });
      const offloadedBytes = run.steps.filter(({ offloaded }) => offloaded).reduce((sum, { bytes }) => sum + bytes, 0);
      expect(run.metrics.bytesOffloaded).toBe(offloadedBytes);
      expect(run.metrics.bytesStored).toBeLessThan(offloadedBytes);
    }
    expect(r2.metrics.bytesStored).toBe(filesystem.metrics.bytesStored);
  });
});
