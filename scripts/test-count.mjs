// Sums vitest's JSON results across packages and prints `N passed, N failed, N skipped`. Exits non-zero
// when a test failed, a test file failed to load, or a package with a test script left no results.
// With no arguments it reads each package's test-results/*.json; with run names (`node22 node24`, as
// .ci/run keeps one folder per Node version) it reads test-results/<run>/*.json for every run.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const runs = process.argv.slice(2);
let passed = 0;
let failed = 0;
let skipped = 0;
const missing = [];
const unsuccessful = [];
// The workspace folders of pnpm-workspace.yaml.
const packageDirs = ['packages', 'examples', 'tools']
  .filter((folder) => existsSync(folder))
  .flatMap((folder) => readdirSync(folder).map((name) => join(folder, name)));
for (const dir of packageDirs) {
  const manifest = join(dir, 'package.json');
  if (!existsSync(manifest) || !JSON.parse(readFileSync(manifest, 'utf8')).scripts?.test) continue;
  for (const run of runs.length > 0 ? runs : ['']) {
    // vitest.json from `pnpm test`; a package may add more runs (such as the suite against Ceph RGW).
    const resultsDir = join(dir, 'test-results', run);
    const reports = existsSync(resultsDir) ? readdirSync(resultsDir).filter((file) => file.endsWith('.json')) : [];
    if (!reports.includes('vitest.json')) missing.push(resultsDir);
    for (const file of reports) {
      const report = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
      passed += report.numPassedTests;
      failed += report.numFailedTests;
      skipped += report.numPendingTests + report.numTodoTests;
      // A test file that fails to load fails no test, but the run is still unsuccessful.
      if (!report.success) unsuccessful.push(join(resultsDir, file));
    }
  }
}
if (missing.length > 0) console.error(`no test results from: ${missing.join(', ')}`);
if (unsuccessful.length > 0) console.error(`unsuccessful test runs in: ${unsuccessful.join(', ')}`);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || missing.length > 0 || unsuccessful.length > 0 || passed === 0 ? 1 : 0);
