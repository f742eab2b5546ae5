// The demo: runs the order workflow through the claimcheck manager and shows what was offloaded,
// where the blobs are and the manager's metrics. With no configuration it uses the filesystem store
// in a temporary directory; BLOB_STORAGE_TYPE and the other variables of the manager choose otherwise.
// `--json` prints the same as one JSON document.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configFromEnv, createManager } from '@claimcheck/manager';
import { runWorkflow } from './engine.mjs';
import { orderWorkflow } from './steps.mjs';

const env = {
  BLOB_STORAGE_TYPE: 'filesystem',
  BLOB_STORAGE_PATH: join(tmpdir(), 'claimcheck-demo', 'blobs'),
  ...process.env,
};
const manager = await createManager(configFromEnv(env));
try {
  const run = await runWorkflow(orderWorkflow, manager);
  const store = await manager.store;
  const location = store.name === 'filesystem' ? env.BLOB_STORAGE_PATH : `${store.name} bucket ${env.R2_BUCKET ?? ''}`.trim();
  const metrics = manager.metrics();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ storage: store.name, location, ...run, metrics }, null, 2));
  } else {
    console.log(`claimcheck demo: ${orderWorkflow.length} workflow steps, threshold ${env.CLAIMCHECK_THRESHOLD_BYTES ?? '51200 (default)'} bytes\n`);
    console.table(
      run.steps.map(({ step, bytes, offloaded, encoding, storedBytes, messageBytes, key }) => ({
        step,
        'output bytes': bytes,
        passed: offloaded ? `reference (${messageBytes} B)` : 'inline',
        stored: offloaded ? `${storedBytes} B ${encoding}` : '-',
        key: key ?? '-',
      })),
    );
    console.log(`\nBlobs are in ${location}:`);
    for (const { key } of run.steps.filter((step) => step.offloaded)) {
      console.log(`  ${store.name === 'filesystem' ? join(location, key) : key}`);
    }
    console.log(`\nResult of the last step: ${run.result}`);
    console.log('\nMetrics:');
    console.log(`  offloaded ${metrics.offloaded}, inline ${metrics.inline}, retrieved ${metrics.retrieved}, passed through ${metrics.passedThrough}`);
    console.log(`  ${metrics.bytesOffloaded} bytes offloaded, stored as ${metrics.bytesStored} (compression ratio ${metrics.compressionRatio.toFixed(3)})`);
    console.log(`  offload latency mean ${metrics.latency.offload.meanMs.toFixed(1)} ms, retrieve mean ${metrics.latency.retrieve.meanMs.toFixed(1)} ms; errors ${JSON.stringify(metrics.errors)}`);
  }
} finally {
  await manager.close();
}
