import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { objectStoreConformance } from '@claimcheck/core/conformance';
import { FilesystemStore, type FilesystemLayout } from '../src/index.js';
import { removeDirectory } from './support/temporary-directory.js';

// Both layouts keep the whole contract; each case gets a store on its own fresh directory.
for (const layout of ['flat', 'sharded'] satisfies FilesystemLayout[]) {
  objectStoreConformance({
    describe,
    it,
    name: `filesystem (${layout} layout)`,
    create: async () => new FilesystemStore({ basePath: await mkdtemp(join(tmpdir(), 'claimcheck-conformance-')), layout }),
    destroy: async (store) => {
      await store.close();
      await removeDirectory(store.basePath);
    },
  });
}
