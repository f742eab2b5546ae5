// The conditions an application's own `import` of a package matches in Node.
const importConditions = new Set(['node', 'import', 'module-sync', 'default']);

/**
 * Imports the package `name` as the application's own `import` would: found in the node_modules
 * folders above `base`, its entry chosen from `exports` with the `import` conditions (so an
 * ES-module-only package loads too), else `main`, else `index.js`. Node's helpers are fetched at run
 * time, so a Worker bundle that never names a package needs none.
 */
export async function importFromApplication(name: string, base: string | URL): Promise<unknown> {
  const { createRequire } = process.getBuiltinModule('node:module');
  const { existsSync, readFileSync } = process.getBuiltinModule('node:fs');
  const path = process.getBuiltinModule('node:path');
  const { pathToFileURL } = process.getBuiltinModule('node:url');
  const directory = (createRequire(base).resolve.paths(name) ?? []).map((modules) => path.join(modules, name)).find((candidate) => existsSync(path.join(candidate, 'package.json')));
  if (directory === undefined) throw Object.assign(new Error(`Cannot find package '${name}' from ${String(base)}`), { code: 'ERR_MODULE_NOT_FOUND' });
  const manifest = JSON.parse(readFileSync(path.join(directory, 'package.json'), 'utf8')) as { exports?: unknown; main?: unknown };
  const entry = manifest.exports === undefined ? (typeof manifest.main === 'string' ? manifest.main : 'index.js') : importTarget(rootExport(manifest.exports));
  if (entry === undefined) {
    throw Object.assign(new Error(`package ${name} exports no entry for import (conditions: ${[...importConditions].join(', ')})`), { code: 'ERR_PACKAGE_PATH_NOT_EXPORTED' });
  }
  return import(/* @vite-ignore */ pathToFileURL(path.join(directory, entry)).href);
}

// The export of "." : the whole field when it is a target or conditions only (the sugar form).
function rootExport(exports: unknown): unknown {
  if (typeof exports !== 'object' || exports === null || Array.isArray(exports)) return exports;
  return Object.keys(exports).some((key) => key.startsWith('.')) ? (exports as Record<string, unknown>)['.'] : exports;
}

// A target as Node picks it: a path, the first usable entry of an array, or the first key in the
// object's own order that is an import condition and leads to a path.
function importTarget(target: unknown): string | undefined {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.map(importTarget).find((path) => path !== undefined);
  if (typeof target !== 'object' || target === null) return undefined;
  for (const [condition, value] of Object.entries(target)) {
    if (!importConditions.has(condition)) continue;
    const path = importTarget(value);
    if (path !== undefined) return path;
  }
  return undefined;
}
