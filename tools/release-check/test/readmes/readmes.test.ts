// Every public package's README, followed by a new user after the release: the packed packages are
// published to a local registry (verdaccio), and in a fresh project exactly what the README's install
// line names is installed, with npm and with yarn (which adds no peers). Each example then runs there
// against the servers the packages' tests start, and type-checks with `tsc --strict` against the
// shipped types. Packages come from the workspace's list, so a new one is covered without editing this.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readmeCodeBlocks, type ReadmeExample } from '../../../../scripts/readme-examples.mjs';
import { exampleFile, runExampleIn, typecheckExamplesIn } from '../support/example-project.js';
import { startExampleServers, type ExampleServers } from '../support/example-servers.js';
import { freshInstall, upstreamRegistry, type Client } from '../support/fresh-install.js';
import { startLocalRegistry, type LocalRegistry } from '../support/local-registry.js';
import { environmentRead, importedPackages, readmePromises } from '../support/readme-install-line.js';
import { releaseTools } from '../support/release-tools.js';
import { packInto, workspacePublicPackages } from '../support/workspace.js';

const packages = await Promise.all(
  (await workspacePublicPackages()).map(async (pkg) => {
    const readmePath = join(pkg.dir, 'README.md');
    return { ...pkg, readme: await readFile(readmePath, 'utf8'), examples: await readmeCodeBlocks(readmePath) };
  }),
);

let scratch = '';
let registry: LocalRegistry | undefined;
let servers: ExampleServers | undefined;
let registries: { local: string; upstream: string };
let yarnBin: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'claimcheck-readmes-'));
  const tools = await releaseTools();
  yarnBin = tools.yarn;
  [registry, servers] = await Promise.all([startLocalRegistry(tools.verdaccio), startExampleServers()]);
  registries = { local: registry.url, upstream: await upstreamRegistry() };
  const tarballs = join(scratch, 'tarballs');
  await mkdir(tarballs);
  for (const pkg of packages) await registry.publish(await packInto(pkg.dir, tarballs));
});
afterAll(async () => {
  await Promise.all([registry?.stop(), servers?.stop()]);
  if (scratch !== '') await rm(scratch, { recursive: true, force: true });
});

/** The project each client installed into, per package; absent when the install failed. */
const projects = new Map<string, Partial<Record<Client, string>>>();

for (const pkg of packages) {
  describe(pkg.name, () => {
    const promises = readmePromises(pkg.readme);
    const runnable = pkg.examples.filter((example) => example.notRun === undefined);

    it('the README starts with an install line naming the package and every package its examples import', () => {
      expect(promises.installs, 'a ```sh block with an `npm install …` line').toBeDefined();
      const imported = [pkg.name, ...pkg.examples.flatMap((example) => importedPackages(example.code))];
      expect([...new Set(imported)].filter((name) => !promises.installs?.includes(name)), 'imported but not on the install line').toEqual([]);
    });

    it('its "Run the examples" paragraph names every variable the examples read', () => {
      expect(promises.runTheExamples, 'a **Run the examples** paragraph').not.toBe('');
      const read = [...new Set(pkg.examples.flatMap((example) => environmentRead(example.code)))];
      expect(read.filter((name) => !promises.runTheExamples.includes(name)), 'read but not named').toEqual([]);
    });

    for (const client of ['npm', 'yarn'] as const) {
      it(`installs from the registry with ${client}, exactly as the install line says`, async () => {
        const dir = join(scratch, client, pkg.name.replace('/', '+'));
        await freshInstall(dir, client, promises.installs ?? [], registries, yarnBin);
        projects.set(pkg.name, { ...projects.get(pkg.name), [client]: dir });
      });
    }

    // In the yarn project: it has only what the install line names, with no peer added for the user.
    for (const example of runnable) {
      it(`the example at README line ${example.line} runs in the yarn project`, async () => {
        const dir = installed(pkg.name, 'yarn');
        await runExampleIn(dir, example, servers?.env ?? {});
      });
    }

    for (const example of pkg.examples.filter((candidate) => candidate.notRun !== undefined)) {
      it(`the example at README line ${example.line} is type-checked only, not run: ${example.notRun ?? ''}`, async () => {
        expect(await typecheckErrors(pkg.name, example)).toBe('');
      });
    }

    it(`every example${pkg.examples.length === 0 ? ' (none)' : ''} type-checks with tsc --strict against the shipped types`, async () => {
      for (const example of runnable) expect(await typecheckErrors(pkg.name, example), `README line ${example.line}`).toBe('');
    });
  });
}

function installed(name: string, client: Client): string {
  const dir = projects.get(name)?.[client];
  if (dir === undefined) throw new Error(`the ${client} install of ${name}'s install line failed (see that test)`);
  return dir;
}

const typechecks = new Map<string, Promise<Map<string, string>>>();
/** tsc's errors for one example; every example of a package is checked in one tsc run, in its yarn project. */
async function typecheckErrors(name: string, example: ReadmeExample): Promise<string> {
  const pkg = packages.find((candidate) => candidate.name === name);
  if (pkg === undefined) throw new Error(`no package ${name}`);
  let result = typechecks.get(name);
  if (result === undefined) {
    result = typecheckExamplesIn(installed(name, 'yarn'), pkg.examples);
    typechecks.set(name, result);
  }
  const diagnostics = await result;
  return `${diagnostics.get(exampleFile(example)) ?? ''}${diagnostics.get('(other)') ?? ''}`;
}

// The check can fail: scratch copies of two README mistakes a user would hit, and what the check says.
describe('the check itself', () => {
  it('fails the yarn install of an install line without @claimcheck/core (the bullmq README, core removed), naming it', async () => {
    const bullmq = packages.find((pkg) => pkg.name === '@claimcheck/bullmq');
    const line = /^npm install .*$/m.exec(bullmq?.readme ?? '')?.[0] ?? '';
    expect(line).toContain(' @claimcheck/core ');
    const scratchReadme = (bullmq?.readme ?? '').replace(line, line.replace(' @claimcheck/core ', ' '));
    const names = readmePromises(scratchReadme).installs ?? [];
    expect(names).not.toContain('@claimcheck/core');
    const failure = await freshInstall(join(scratch, 'yarn', 'without-core'), 'yarn', names, registries, yarnBin).then(
      () => undefined,
      (error: unknown) => error as Error,
    );
    expect(failure?.message).toMatch(/left peer dependencies unmet: .*@claimcheck\/core@/);
  });

  it('fails tsc --strict on the sqs-consumer example as it was (queueUrl: string | undefined), naming TS2322', async () => {
    const sqs = packages.find((pkg) => pkg.name === '@claimcheck/sqs');
    const consumer = sqs?.examples.find((example) => example.code.includes("from 'sqs-consumer'"));
    const guard = "if (QueueUrl === undefined) throw new Error('CreateQueue returned no QueueUrl');\n";
    expect(consumer?.code).toContain(guard);
    const before = { ...(consumer as ReadmeExample), line: 0, code: (consumer?.code ?? '').replace(guard, '') };
    // In the sqs project, whose own examples were checked above.
    const diagnostics = await typecheckExamplesIn(installed('@claimcheck/sqs', 'yarn'), [before]);
    expect(diagnostics.get(exampleFile(before))).toMatch(/error TS2322: Type 'string \| undefined' is not assignable to type 'string'/);
  });
});
