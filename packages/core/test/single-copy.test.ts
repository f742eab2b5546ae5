import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));

// Every entry (index, conformance, store-helpers) must share one ClaimCheckError and one base:
// a second copy would break `instanceof` and double the code users load.
it.each(['.js'])('the %s build defines ClaimCheckError and the store base once across every entry', (extension) => {
  const files = readdirSync(dist).filter((name) => name.endsWith(extension));
  // esbuild writes `var Name = class …`; tsc would write `class Name …`.
  const definitions = (name: string) => {
    const pattern = new RegExp(`class ${name}\\b|\\b${name} = class\\b`, 'g');
    return files.reduce((total, file) => total + (readFileSync(dist + file, 'utf8').match(pattern)?.length ?? 0), 0);
  };
  expect(definitions('ClaimCheckError')).toBe(1);
  expect(definitions('AbstractObjectStore')).toBe(1);
});
