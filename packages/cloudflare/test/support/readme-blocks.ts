import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This package's directory. */
export const packageDir = fileURLToPath(new URL('../..', import.meta.url));

const readme = await readFile(join(packageDir, 'README.md'), 'utf8');

/** The README's `language` code block under the `<!-- not run: … -->` comment that mentions `marker`. */
export function readmeBlock(marker: string, language: string): string {
  const match = new RegExp(`<!-- not run: [^>]*${marker}[^>]*-->\\n\`\`\`${language}\\n([\\s\\S]*?)\`\`\``).exec(readme);
  if (match?.[1] === undefined) throw new Error(`README has no ${language} block marked ${marker}`);
  return match[1];
}
