import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { objectStoreConformance } from '@claimcheck/core/conformance';
import { FilesystemStore, type FilesystemLayout } from '../src/index.js';
import { removeDirectory } from './support/temporary-directory.js';

// Both layouts, durable and not, keep the whole contract (key prefixes included); each case gets a
// store on its own fresh directory.
for (const layout of ['flat', 'sharded'] satisfies FilesystemLayout[]) {
  for (const durable of [false, true]) {
    objectStoreConformance({
      describe,
      it,
      name: `filesystem (${layout} layout${durable ? ', durable' : ''})`,
      create: async () => new FilesystemStore({ basePath: await mkdtemp(join(tmpdir(), 'claimcheck-conformance-')), layout, durable }),
      destroy: async (store) => {
        await store.close();
        await removeDirectory(store.basePath);
      },
    });
  }
}
