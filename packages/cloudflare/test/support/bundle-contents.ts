import type { WorkerBundle } from './worker-bundle.js';

/** The files in a Worker bundle that must not be there: the AWS SDK and the other backends. */
export function offendingInputs(bundle: WorkerBundle): string[] {
  // A replaced module is in the metafile under its own namespace; only real files count.
  return Object.keys(bundle.metafile.inputs).filter((path) => !path.startsWith('unused-backend:') && /@aws-sdk|@smithy|store-r2|store-fs/.test(path));
}

/** The `node:` built-ins the bundle imports, sorted. */
export function builtinImports(bundle: WorkerBundle): string[] {
  return [...new Set([...bundle.code.matchAll(/from\s*"(node:[a-z_/]+)"|import\("(node:[a-z_/]+)"\)/g)].map((match) => match[1] ?? match[2] ?? ''))].sort();
}
