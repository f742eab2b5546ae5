import { readFile } from 'node:fs/promises';
import { optionsTable } from '@claimcheck/core';
import { storeProvider as filesystemProvider } from '@claimcheck/store-fs';
import { storeProvider as r2Provider } from '@claimcheck/store-r2';
import { describe, expect, it } from 'vitest';
import { managerOptions } from '../src/index.js';

describe('the README', () => {
  it('shows the manager’s and each built-in store’s options exactly as their descriptions say', async () => {
    const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
    for (const options of [managerOptions, filesystemProvider.options, r2Provider.options]) expect(readme).toContain(optionsTable(options));
  });
});
