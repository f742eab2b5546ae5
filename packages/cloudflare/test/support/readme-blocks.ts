import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorker } from './worker-bundle.js';

/** This package's directory. */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));

const readme = await readFile(join(packageDir, 'README.md'), 'utf8');

/** The README's `language` code block under the `<!-- not run: … -->` comment that mentions `marker`. */
export function readmeBlock(marker: string, language: string): string {
  const match = new RegExp(`<!-- not run: [^>]*${marker}[^>]*-->\\n\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (match?.[1] === undefined) throw new Error(`README has no ${language} block marked ${marker}`);
  return match[1];
}

/**
 * A README Worker block bundled as it is written, with '@claimcheck/cloudflare' pointing at this
 * package's source; the block is written inside the package so its other imports resolve as a user's would.
 */
export async function bundleReadmeWorker(source: string): Promise<string> {
  const dir = await mkdtemp(join(packageDir, '.readme-example-'));
  try {
    const entry = join(dir, 'index.ts');
    await writeFile(entry, source);
    return (await bundleWorker(entry, { alias: { '@claimcheck/cloudflare': join(packageDir, 'src/index.ts') } })).code;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
