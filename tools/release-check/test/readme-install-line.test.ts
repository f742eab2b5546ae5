import { describe, expect, it } from 'vitest';
import { environmentRead, importedPackages, readmePromises } from './support/readme-install-line.js';

// The README check's reading of a README; the check itself runs in test/readmes (pnpm test:readmes).
describe('reading what a README promises', () => {
  const readme = [
    '# @claimcheck/x',
    '',
    '```sh',
    'npm install -g @claimcheck/x @claimcheck/core bullmq   # all of it',
    '```',
    '',
    '**Run the examples** with `REDIS_PORT` set.',
    '',
    '```ts',
    'const a = 1;',
    '```',
  ].join('\n');

  it('the first npm install line, flags and comment left out, and the paragraph up to the next example', () => {
    expect(readmePromises(readme)).toEqual({
      installs: ['@claimcheck/x', '@claimcheck/core', 'bullmq'],
      global: true,
      runTheExamples: '**Run the examples** with `REDIS_PORT` set.\n',
    });
  });

  it('an install line continued with a backslash', () => {
    expect(readmePromises('```sh\nfirst command\nnpm install a \\\n  b c\nnext\n```\n').installs).toEqual(['a', 'b', 'c']);
  });

  it('no install line and no paragraph are told apart from empty ones', () => {
    expect(readmePromises('# x\n\n```sh\nnpx x\n```\n')).toEqual({ installs: undefined, global: false, runTheExamples: '' });
  });

  it('imports by package name, subpaths folded, Node built-ins and relative paths left out', () => {
    const code = [
      "import { a } from '@claimcheck/core/store-helpers';",
      "import { b } from '@aws-sdk/client-s3';",
      "import { c } from 'bullmq/dist/x.js';",
      "import { d } from 'node:fs';",
      "import { e } from 'path';",
      "import { f } from './local.js';",
      "import 'side-effect';",
      "const g = await import('late-one');",
    ].join('\n');
    expect(importedPackages(code)).toEqual(['@claimcheck/core', '@aws-sdk/client-s3', 'bullmq', 'side-effect', 'late-one']);
  });

  it('the variables an example reads, once each', () => {
    expect(environmentRead('process.env.A ?? process.env.B_2; process.env.A;')).toEqual(['A', 'B_2']);
  });
});
