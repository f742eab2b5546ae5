// PENDING the providers issue (/work/issues/20.md): rename to ../worker-bundle.providers.test.ts once the
// manager no longer names @claimcheck/store-r2 and @claimcheck/store-fs in import() calls. Today it
// fails: esbuild follows those imports into @aws-sdk/lib-storage, which imports the bare 'stream'.
import { describe, expect, it } from 'vitest';
import { builtinImports, offendingInputs } from '../support/bundle-contents.js';
import { bundleWorker } from '../support/worker-bundle.js';

describe('a Worker bundle of the manager and R2BindingStore, as wrangler makes it', () => {
  it('has no AWS SDK, no node:fs and no other backend', async () => {
    const bundle = await bundleWorker('bundle-entry.worker', { replaced: [] });
    const bytes = new TextEncoder().encode(bundle.code).byteLength;
    console.log(`Worker bundle (manager + R2BindingStore + wrappers): ${(bytes / 1024).toFixed(1)} KiB, built-ins ${builtinImports(bundle).join(', ')}`);
    expect(offendingInputs(bundle)).toEqual([]);
    expect(builtinImports(bundle).filter((name) => name.startsWith('node:fs'))).toEqual([]);
  });
});
