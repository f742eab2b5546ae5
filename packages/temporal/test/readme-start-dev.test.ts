import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The README's opening example needs `temporal server start-dev`. Here its three files are taken from
// the README as they are, type-checked, and main.ts is run with its two server-bound imports pointed
// at stand-ins (test/support/stub-temporal.mjs); every other line runs unchanged.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const repoRoot = join(packageDir, '..', '..');
const standIns = fileURLToPath(new URL('./support/stub-temporal.mjs', import.meta.url));
const serverImports = {
  "import { Client, Connection } from '@temporalio/client';": `import { Client } from '@temporalio/client';\nimport { Connection } from '${standIns}';`,
  "import { NativeConnection, Worker } from '@temporalio/worker';": `import { NativeConnection, Worker } from '${standIns}';`,
};

async function startDevFiles(): Promise<Record<string, string>> {
  const readme = await readFile(join(packageDir, 'README.md'), 'utf8');
  const files: Record<string, string> = {};
  for (const match of readme.matchAll(/<!-- not run: [^>]*-->\n```ts\n(\/\/ (\w+\.ts)\n[\s\S]*?)```/g)) files[match[2] ?? ''] = match[1] ?? '';
  return files;
}

describe("the README's start-dev example", () => {
  let dir: string;
  let files: Record<string, string>;
  beforeAll(async () => {
    files = await startDevFiles();
    dir = await mkdtemp(join(packageDir, '.readme-example-start-dev-'));
    for (const [name, code] of Object.entries(files)) await writeFile(join(dir, name), code);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('has its three files in the README', () => {
    expect(Object.keys(files).sort()).toEqual(['activities.ts', 'main.ts', 'workflows.ts']);
  });

  it('type-checks as it is', async () => {
    await writeFile(join(dir, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.base.json', include: ['*.ts'] }));
    const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
    await expect(promisify(execFile)(process.execPath, [tsc, '-p', join(dir, 'tsconfig.json')], { cwd: dir })).resolves.toBeDefined();
  });

  it('runs against a stub connection and stores the report and the summary in ./claimcheck-blobs', async () => {
    let main = files['main.ts'] ?? '';
    for (const [line, replacement] of Object.entries(serverImports)) {
      expect(main).toContain(line);
      main = main.replace(line, replacement);
    }
    for (const [name, code] of Object.entries({ ...files, 'main.ts': main })) {
      const { code: javascript } = await transform(code, { loader: 'ts', format: 'esm', target: 'node22' });
      await writeFile(join(dir, name.replace(/\.ts$/, '.js')), javascript);
    }
    const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'main.js')], { cwd: dir, timeout: 60_000 });
    expect(stdout).toBe('20000 Q3 row 1: ok\n');
    const { readdir } = await import('node:fs/promises');
    // Filed by run: ns/default/wf/<workflow id>/… (the input, stored before the run had an id) and …/run/<run id>/… (the summary).
    const entries = await readdir(join(dir, 'claimcheck-blobs'), { recursive: true, withFileTypes: true });
    const blobs = entries.filter((entry) => entry.isFile() && !entry.name.startsWith('.')).map((entry) => join(entry.parentPath, entry.name));
    expect(blobs).toHaveLength(2);
    const underRun = blobs.filter((blob) => /\/claimcheck-blobs\/ns\/default\/wf\/[^/]+\/run\/[^/]+\/[0-9a-f-]{36}$/.test(blob));
    const beforeRun = blobs.filter((blob) => /\/claimcheck-blobs\/ns\/default\/wf\/[^/]+\/[0-9a-f-]{36}$/.test(blob));
    expect([beforeRun.length, underRun.length]).toEqual([1, 1]);
  });
});
