import { writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { transform } from 'esbuild';
import type { ReadmeExample } from '../../../../scripts/readme-examples.mjs';
import { repoRoot, run } from './workspace.js';

/** The file an example is type-checked from, in the project's root. */
export function exampleFile(example: ReadmeExample): string {
  return `readme-example-line-${example.line}.mts`;
}

/** Runs one example in the fresh project `dir`, as the user would after the install: its packages from dir/node_modules. */
export async function runExampleIn(dir: string, example: ReadmeExample, env: Record<string, string>): Promise<string> {
  const { code } = await transform(example.code, { loader: 'ts', format: 'esm', target: 'node22' });
  const file = join(dir, `readme-example-line-${example.line}.mjs`);
  await writeFile(file, code);
  // node_modules/.bin first, as `npx` or a global install would put a package's commands on the PATH.
  const path = `${join(dir, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`;
  return run(process.execPath, [file], dir, { ...env, PATH: path });
}

/**
 * Type-checks `examples` in the fresh project `dir` with `tsc --strict --noEmit`, each as its own ES
 * module, against the types the installed packages ship. Resolves with tsc's diagnostics by file ('' when clean).
 */
export async function typecheckExamplesIn(dir: string, examples: ReadmeExample[]): Promise<Map<string, string>> {
  for (const example of examples) await writeFile(join(dir, exampleFile(example)), example.code);
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        // Node's types, as a TypeScript user adds them; the repository's copy rather than one more install.
        typeRoots: [join(repoRoot, 'node_modules', '@types')],
        types: ['node'],
      },
      files: examples.map(exampleFile),
    }),
  );
  const tsc = join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const output = await run(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], dir).catch((error: unknown) => (error as Error).message);
  const diagnostics = new Map<string, string>(examples.map((example) => [exampleFile(example), '']));
  for (const line of output.split('\n')) {
    const file = /^(readme-example-line-\d+\.mts)\(/.exec(line)?.[1];
    if (file !== undefined) diagnostics.set(file, `${diagnostics.get(file) ?? ''}${line}\n`);
    else if (/error TS/.test(line)) diagnostics.set('(other)', `${diagnostics.get('(other)') ?? ''}${line}\n`);
  }
  return diagnostics;
}
