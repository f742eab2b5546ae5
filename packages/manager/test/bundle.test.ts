import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

// What a Worker's bundler (wrangler uses esbuild) pulls in when an application hands the manager its
// store: the manager must name no store package in an import, nor need node:fs, node:os or node:path.
async function bundle(entry: string): Promise<{ text: string; inputs: string[] }> {
  const result = await build({
    stdin: { contents: entry, resolveDir: new URL('.', import.meta.url).pathname, loader: 'js' },
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'node',
    logLevel: 'silent',
  });
  return { text: result.outputFiles[0]?.text ?? '', inputs: Object.keys(result.metafile.inputs) };
}

describe('a bundle of the manager with a store handed to it', () => {
  it('contains no other store, no AWS SDK and no filesystem, os or path module', async () => {
    const { text, inputs } = await bundle(`
      import { createManager } from '@claimcheck/manager';
      import { MemoryStore } from '@claimcheck/core';
      const manager = await createManager({ store: new MemoryStore(), thresholdBytes: 0 });
      export default manager;
    `);
    expect(inputs).toContain('dist/index.js');
    expect(inputs.filter((input) => /store-fs|store-r2|@aws-sdk|@smithy/.test(input))).toEqual([]);
    // Imports left to the runtime: only built-ins a Worker's nodejs_compat has.
    const imported = [...text.matchAll(/(?:from|import\()\s*["']([^"']+)["']/g)].map(([, name]) => name);
    expect(imported.filter((name) => /(^|:)(fs|os|path)(\/|$)/.test(name ?? ''))).toEqual([]);
    expect(imported.filter((name) => (name ?? '').startsWith('@claimcheck/'))).toEqual([]);
  });
});
