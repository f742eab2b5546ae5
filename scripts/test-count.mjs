// Sums vitest's JSON results across packages (every test-results/*.json of a package, e.g. a second run
// against another server) and prints `N passed, N failed, N skipped`. Exits non-zero when a test
// failed, a test file failed to load, or a package with a test script left no results.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const unsuccessful = [];
for (const name of readdirSync('packages')) {
  const manifest = join('packages', name, 'package.json');
  if (!existsSync(manifest) || !JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test) continue;
  const resultsDir = join('packages', name, 'test-results');
  const results = existsSync(resultsDir) ? readdirSync(resultsDir).filter((file) => file.endsWith('.json')) : [];
  if (results.length === 0) {
    missing.push(name);
    continue;
  }
  for (const file of results) {
    const report = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    // A test file that fails to load fails no test, but the run is still unsuccessful.
    if (!report.success) unsuccessful.push(`${name} (${file})`);
  }
}
if (missing.length > 0) console.error(`no test results from: ${missing.join(', ')}`);
if (unsuccessful.length > 0) console.error(`unsuccessful test runs in: ${unsuccessful.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 || unsuccessful.length > 0 || passed === 0 ? 1 : 0);
