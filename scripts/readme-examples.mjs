// Runs the code examples of a package README, so that the docs cannot drift from the code.
// Every ```ts and ```js block runs, in the package's own directory (so the package resolves by its
// name), unless the line before it is `<!-- not run: reason -->`, or `<!-- type-checked, not run: reason -->`
// for a complete program that needs a server no test can start (tools/release-check type-checks those).
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { transform } from 'esbuild';
import { describe, expect, it } from 'vitest';

const blockPattern = /(?:<!-- (not run|type-checked, not run): ([^>]*)-->\n)?```(ts|js)\n([\s\S]*?)```/g;

/** The runnable examples of `readmePath`, each with the line it starts on. */
export async function readmeExamples(readmePath) {
  return (await readmeCodeBlocks(readmePath)).filter((example) => example.notRun === undefined);
}

/**
 * Every example of `readmePath` that is a complete program: the runnable ones, and those marked
 * `type-checked, not run`, which carry the reason in `notRun`.
 */
export async function readmeCodeBlocks(readmePath) {
  const text = await readFile(readmePath, 'utf8');
  const examples = [];
  for (const match of text.matchAll(blockPattern)) {
    if (match[1] === 'not run') continue;
    const line = text.slice(0, match.index).split('\n').length + (match[1] === undefined ? 0 : 1);
    const example = { line, language: match[3], code: match[4] };
    if (match[1] !== undefined) example.notRun = match[2].trim();
    examples.push(example);
  }
  return examples;
}

/** Runs one example as an ES module from a temp file inside `packageDir`; resolves with its output. */
export async function runExample(packageDir, { code }, { env = {}, timeoutMs = 60_000 } = {}) {
  const { code: javascript } = await transform(code, { loader: 'ts', format: 'esm', target: 'node22' });
  const dir = await mkdtemp(join(packageDir, '.readme-example-'));
  try {
    const file = join(dir, 'example.mjs');
    await writeFile(file, javascript);
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [file], {
      cwd: dir,
      env: { ...process.env, ...env },
      timeout: timeoutMs,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { stdout, stderr };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Registers a vitest test for every runnable example of the package's README, plus one that the
 * README has at least `minimumExamples`. `env` is added to each example's environment.
 */
export async function readmeTests(packageDir, { minimumExamples = 1, env = {} } = {}) {
  const examples = await readmeExamples(join(packageDir, 'README.md'));
  describe('README examples', () => {
    it(`has at least ${minimumExamples} example${minimumExamples === 1 ? '' : 's'} to run`, () => {
      expect(examples.length).toBeGreaterThanOrEqual(minimumExamples);
    });
    for (const example of examples) {
      it(`the example at README line ${example.line} runs`, async () => {
        await expect(runExample(packageDir, example, { env })).resolves.toBeDefined();
      });
    }
  });
}
