import { describe, expect, it } from 'vitest';
import { builtinImports, offendingInputs } from './support/bundle-contents.js';
import { bundleWorker, unusedBackends } from './support/worker-bundle.js';

// A Worker of manager + R2BindingStore + wrappers, bundled as wrangler bundles it (esbuild, ES module,
// platform neutral, conditions workerd/worker). It must not carry the AWS SDK, node:fs or any other backend.
describe('a Worker bundle of the manager and R2BindingStore', () => {
  // The manager's loader still names store-r2 and store-fs; they are replaced here by modules that
  // throw. test/pending/worker-bundle.providers.ts is the same check without that help, for when the
  // providers issue has removed those imports.
  it('with the manager\'s backend imports left out, has no AWS SDK, no node:fs and no other backend', async () => {
    const bundle = await bundleWorker('bundle-entry.worker', { replaced: unusedBackends });
    const bytes = new TextEncoder().encode(bundle.code).byteLength;
    console.log(`Worker bundle (manager + R2BindingStore + wrappers): ${(bytes / 1024).toFixed(1)} KiB, built-ins ${builtinImports(bundle).join(', ')}`);
    expect(offendingInputs(bundle)).toEqual([]);
    expect(builtinImports(bundle).filter((name) => name.startsWith('node:fs'))).toEqual([]);
  });
});
