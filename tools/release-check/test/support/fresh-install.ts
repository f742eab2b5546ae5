import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './workspace.js';

/** Which client installs: npm adds missing peers by itself, yarn 1 only warns about them. */
export type Client = 'npm' | 'yarn';

/** The npm registry this machine uses, for everything but @claimcheck/*. */
export async function upstreamRegistry(): Promise<string> {
  return (await run('npm', ['config', 'get', 'registry'], process.cwd())).trim();
}

/**
 * A fresh project in `dir` with exactly `names` installed by `client`, @claimcheck/* from the local
 * registry and everything else from the usual one. Rejects when the install fails or, for yarn, when
 * it leaves a peer dependency unmet, naming it: yarn installs on and the example fails later.
 */
export async function freshInstall(dir: string, client: Client, names: string[], registries: { local: string; upstream: string }, yarnBin: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), `${JSON.stringify({ name: 'readme-user', version: '1.0.0', private: true, type: 'module' }, null, 2)}\n`);
  await writeFile(join(dir, '.npmrc'), `registry=${registries.upstream}\n@claimcheck:registry=${registries.local}\n`);
  // Every run publishes @claimcheck/*@0.0.0 anew: a cache shared with earlier runs would install the
  // tarballs of an older build under the same version. The run's private TMPDIR holds one cache per client.
  const cache = join(tmpdir(), 'claimcheck-install-cache', client);
  if (client === 'npm') return run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--cache', cache, ...names], dir);
  const output = await run(process.execPath, [yarnBin, 'add', '--non-interactive', '--no-progress', '--prefer-offline', '--cache-folder', cache, ...names], dir, { YARN_IGNORE_PATH: '1' }, true);
  const unmet = [...output.matchAll(/has (?:unmet|incorrect) peer dependency "([^"]+)"/g)].map((match) => match[1] ?? '');
  if (unmet.length > 0) throw new Error(`yarn add ${names.join(' ')} left peer dependencies unmet: ${[...new Set(unmet)].join(', ')}\n${output}`);
  return output;
}
