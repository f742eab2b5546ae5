import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isReference, parseReference } from '../src/index.js';
import { jsonPayload } from './support/payloads.js';
import { backendEnvironments } from './support/stores.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

// Runs a fixture in its own node process with only the given claimcheck variables set.
function runNode(script: string, args: string[], env: Record<string, string>, input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [fixture(script), ...args],
      { env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, encoding: 'buffer', maxBuffer: 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${script} failed: ${stderr.toString()}`, { cause: error }));
        else resolve(stdout);
      },
    );
    child.stdin?.end(input);
  });
}

describe('a reference created in one process is retrieved by another configured from the same environment', () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'claimcheck-cross-process-'));
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  for (const { name, environment } of backendEnvironments) {
    it(`with ${name} storage`, async () => {
      const env = { ...(await environment(workDir)), CLAIMCHECK_THRESHOLD_BYTES: '1024' };
      const payload = jsonPayload(300_000);
      const input = join(workDir, `${name}-input.json`);
      const output = join(workDir, `${name}-output.json`);
      await writeFile(input, payload);
      const reference = await runNode('offload-file.mjs', [input], env);
      expect(isReference(reference)).toBe(true);
      expect(parseReference(reference).storage).toBe(name);
      await runNode('retrieve-reference.mjs', [output], env, reference);
      expect((await readFile(output)).equals(payload)).toBe(true);
    });
  }
});
