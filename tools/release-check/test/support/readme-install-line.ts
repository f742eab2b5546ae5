import { builtinModules } from 'node:module';

/** What a README promises a new user: the packages to install, and the variables its examples read. */
export interface ReadmePromises {
  /** The packages the first `npm install` line names (`-g` and other flags left out); undefined without one. */
  installs: string[] | undefined;
  /** Whether that line installs globally (`npm install -g`): the package's commands are then on the PATH. */
  global: boolean;
  /** The text of the "Run the examples" paragraph, up to the next example; '' without one. */
  runTheExamples: string;
}

/** Reads the install line and the "Run the examples" paragraph of a README. */
export function readmePromises(readme: string): ReadmePromises {
  // A shell line continued with a backslash is one line.
  const line = /^```sh\n(?:[^`]*\n)?npm install (.*)$/m.exec(readme.replace(/\\\n\s*/g, ' '))?.[1];
  const words = line?.replace(/#.*$/, '').trim().split(/\s+/) ?? [];
  const start = readme.indexOf('**Run the examples**');
  const end = start === -1 ? -1 : readme.indexOf('\n```ts', start);
  return {
    installs: line === undefined ? undefined : words.filter((word) => !word.startsWith('-')),
    global: words.includes('-g') || words.includes('--global'),
    runTheExamples: start === -1 ? '' : readme.slice(start, end === -1 ? undefined : end),
  };
}

/** The packages `code` imports (statically or with import()), by package name; Node's built-ins left out. */
export function importedPackages(code: string): string[] {
  const specifiers = [...code.matchAll(/\bfrom\s+'([^']+)'|\bimport\s*\(\s*'([^']+)'\s*\)|^import\s+'([^']+)'/gm)].map((match) => match[1] ?? match[2] ?? match[3] ?? '');
  const names = specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier))
    .map((specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
  return [...new Set(names)];
}

/** The environment variables `code` reads as `process.env.NAME`. */
export function environmentRead(code: string): string[] {
  return [...new Set([...code.matchAll(/process\.env\.([A-Z0-9_]+)/g)].map((match) => match[1] ?? ''))];
}
