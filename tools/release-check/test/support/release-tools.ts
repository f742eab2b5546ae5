import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { run } from './workspace.js';

/** The pinned tools the README check uses, installed from npm once into a cache shared by later runs. */
const tools = { verdaccio: '6.8.0', yarn: '1.22.22' } as const;

/** Paths of verdaccio's and yarn's entry points, installing them into `RELEASE_TOOLS_DIR` (or ~/.cache) first if needed. */
export async function releaseTools(): Promise<{ verdaccio: string; yarn: string }> {
  const prefix = process.env.RELEASE_TOOLS_DIR ?? join(homedir(), '.cache', `claimcheck-release-tools-v${tools.verdaccio}-${tools.yarn}`);
  const paths = {
    verdaccio: join(prefix, 'node_modules', 'verdaccio', 'bin', 'verdaccio'),
    yarn: join(prefix, 'node_modules', 'yarn', 'bin', 'yarn.js'),
  };
  if (!existsSync(paths.verdaccio) || !existsSync(paths.yarn)) {
    const specs = Object.entries(tools).map(([name, version]) => `${name}@${version}`);
    await run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--prefix', prefix, ...specs], homedir());
  }
  return paths;
}
