import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root. */
export const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The published packages, by directory under packages/. */
export const publishedPackages = ['core', 'store-fs', 'store-r2', 'manager', 'cli', 'temporal'] as const;

/** Runs a command and resolves with its stdout (and stderr after it, with `withStderr`); a failure carries its stderr. */
export async function run(command: string, args: string[], cwd: string, env: Record<string, string> = {}, withStderr = false): Promise<string> {
  try {
    // Without pnpm's NODE_PATH, which points into this workspace: a user's project has no such path,
    // and with it `require.resolve` (so the manager's store lookup) finds packages the project never installed.
    const userEnvironment = { ...process.env };
    delete userEnvironment.NODE_PATH;
    const { stdout, stderr } = await promisify(execFile)(command, args, { cwd, env: { ...userEnvironment, ...env }, maxBuffer: 64 * 1024 * 1024 });
    return withStderr ? `${stdout}${stderr}` : stdout;
  } catch (error) {
    const { stderr, stdout } = error as { stderr?: string; stdout?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}\n${stderr ?? ''}`, { cause: error });
  }
}

/** A public (not private) package of the workspace. */
export interface WorkspacePackage {
  name: string;
  dir: string;
}

/** Every public package of the workspace, as pnpm lists it: a package added later is found here too. */
export async function workspacePublicPackages(): Promise<WorkspacePackage[]> {
  const listed = JSON.parse(await run('pnpm', ['ls', '-r', '--depth', '-1', '--json'], repoRoot)) as { name: string; path: string; private?: boolean }[];
  return listed.filter((entry) => entry.private !== true).map((entry) => ({ name: entry.name, dir: entry.path }));
}

/** Packs the package in `dir` with pnpm into `destination`; resolves with the tarball's path. */
export async function packInto(dir: string, destination: string): Promise<string> {
  const before = new Set(await readdir(destination));
  await run('pnpm', ['pack', '--pack-destination', destination], dir);
  const created = (await readdir(destination)).find((file) => !before.has(file));
  if (created === undefined) throw new Error(`pnpm pack made no tarball in ${dir}`);
  return join(destination, created);
}

/** Packs every published package with pnpm (which rewrites `workspace:` ranges) and returns tarball paths by package directory. */
export async function packAll(): Promise<Record<(typeof publishedPackages)[number], string>> {
  const destination = await mkdtemp(join(tmpdir(), 'claimcheck-tarballs-'));
  const tarballs = {} as Record<(typeof publishedPackages)[number], string>;
  for (const name of publishedPackages) tarballs[name] = await packInto(join(repoRoot, 'packages', name), destination);
  return tarballs;
}

/** A fresh npm project with the given tarballs installed, as a user would install them. */
export async function freshProject(tarballs: string[]): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'claimcheck-consumer-'));
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
  await run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], dir);
  return dir;
}
