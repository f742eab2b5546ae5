// A store a third party could publish: blobs as files in one directory, written on the claimcheck
// base, configured through a provider. It uses only the public API of @claimcheck/core.
import { mkdirSync } from 'node:fs';
import { readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AbstractObjectStore, ClaimCheckError, defineStoreProvider, storeBaseOptions } from '@claimcheck/core';
import { collectBytes } from '@claimcheck/core/store-helpers';

/** Blobs as files named by their key in one directory; writes land by rename. */
export class AcmeStore extends AbstractObjectStore {
  name = 'acme';
  capabilities = Object.freeze({ streaming: false, durableWrites: false });
  #directory;

  constructor({ directory, ...base }) {
    super(base, 'acme');
    mkdirSync(directory, { recursive: true });
    this.#directory = directory;
  }

  async _put(key, data, { signal }) {
    const temp = join(this.#directory, `.${key}.tmp`);
    try {
      await writeFile(temp, data, { signal });
      await rename(temp, join(this.#directory, key));
    } finally {
      await rm(temp, { force: true });
    }
  }
  async _putStream(key, source, operation) {
    await this._put(key, await collectBytes(source, operation.signal, operation), operation);
  }
  async _get(key, { operation, backend, signal }) {
    try {
      return new Uint8Array(await readFile(join(this.#directory, key), { signal }));
    } catch (error) {
      if (error?.code !== 'ENOENT') throw error;
      throw new ClaimCheckError({ code: 'NOT_FOUND', operation, backend, detail: `key ${key} not found`, cause: error });
    }
  }
  async _getStream(key, operation) {
    const data = await this._get(key, operation);
    return (async function* () {
      yield data;
    })();
  }
  async _delete(key) {
    await rm(join(this.#directory, key), { force: true });
  }
  async _health() {
    await stat(this.#directory);
  }
  async *_listEntries() {
    for (const name of await readdir(this.#directory)) {
      if (name.startsWith('.')) continue;
      const info = await stat(join(this.#directory, name)).catch(() => undefined);
      if (info !== undefined) yield { key: name, size: info.size, lastModified: info.mtime };
    }
  }
}

/** How claimcheck chooses and configures this store by name. */
export const storeProvider = defineStoreProvider({
  name: 'acme',
  options: [
    { name: 'directory', type: 'string', env: 'ACME_STORE_DIR', required: true, location: true, doc: 'where the blobs live' },
    ...storeBaseOptions('ACME_STORE_'),
  ],
  create: (options) => new AcmeStore(options),
});
