import { describe, expect, it } from 'vitest';
import { bundleWorker, unusedBackends, type WorkerBundle } from './support/worker-bundle.js';

// A Worker of manager + R2BindingStore + wrappers, bundled as wrangler bundles it (esbuild, ES module,
// platform neutral, conditions workerd/worker). It must not carry the AWS SDK, node:fs or any other backend.
function offendingInputs(bundle: WorkerBundle): string[] {
  // A replaced module is in the metafile under its own namespace; only real files count.
  return Object.keys(bundle.metafile.inputs).filter((path) => !path.startsWith('unused-backend:') && /@aws-sdk|@smithy|store-r2|store-fs/.test(path));
}

function builtinImports(bundle: WorkerBundle): string[] {
  return [...new Set([...bundle.code.matchAll(/from\s*"(node:[a-z_/]+)"|import\("(node:[a-z_/]+)"\)/g)].map((match) => match[1] ?? match[2] ?? ''))].sort();
}

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
