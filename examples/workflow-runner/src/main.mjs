// The demo: runs the order workflow through the claimcheck manager and shows what was offloaded,
// where the blobs are, one reference to try with the CLI, and the manager's metrics. With no
// configuration it uses the filesystem store in this example's own demo-blobs/ directory, emptied
// at the start of every run so it never grows; BLOB_STORAGE_TYPE, BLOB_STORAGE_PATH and the other
// variables of the manager choose otherwise (a directory you choose is never emptied).
// `--json` prints the same as one JSON document.
import { rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { configFromEnv, createManager } from '@claimcheck/manager';
import { runWorkflow } from './engine.mjs';
import { orderWorkflow } from './steps.mjs';
import { tryItCommand } from './try-it.mjs';

const ownBlobs = fileURLToPath(new URL('../demo-blobs', import.meta.url));
const env = { BLOB_STORAGE_TYPE: 'filesystem', BLOB_STORAGE_PATH: ownBlobs, ...process.env };
const useOwnBlobs = env.BLOB_STORAGE_TYPE === 'filesystem' && env.BLOB_STORAGE_PATH === ownBlobs;
if (useOwnBlobs) await rm(ownBlobs, { recursive: true, force: true });

const manager = await createManager(configFromEnv(env));
try {
  const run = await runWorkflow(orderWorkflow, manager);
  const store = await manager.store;
  // The store's provider says where it is: the directory, or the bucket (secrets masked).
  const described = await manager.describeStore();
  const location = store.name === 'filesystem' ? described.options.basePath : described.summary;
  const example = run.steps.find((step) => step.offloaded);
  const tryIt = example && { step: example.step, bytes: example.bytes, reference: example.reference, command: tryItCommand(example.reference, store.name, described.options.basePath) };
  const metrics = manager.metrics();
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify({ storage: store.name, location, ...run, tryIt, metrics }, null, 2));
  } else {
    console.log('A claim check: a payload too large to pass along (a queue message, a workflow step\'s output) is');
    console.log('stored in an object store, and a small reference to it travels in its place; whoever holds the');
    console.log('reference gets the exact bytes back. Here each step\'s output travels to the next step that way.\n');
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
    const where = store.name === 'filesystem' ? `the ${store.name} store at ${location}` : `the ${store.name} ${location}`;
    console.log(`\nBlobs are in ${where}${useOwnBlobs ? ' (the demo\'s own directory, emptied at every run)' : ''}:`);
    for (const { key } of run.steps.filter((step) => step.offloaded)) {
      console.log(`  ${store.name === 'filesystem' ? `${location}/${key}` : key}`);
    }
    if (tryIt) {
      console.log(`\nThe message that carried the output of ${tryIt.step} (${tryIt.bytes} bytes) was this reference:`);
      console.log(`  ${tryIt.reference}`);
      console.log('Get the bytes back with the CLI, from anywhere in this repository:');
      console.log(`  ${tryIt.command}`);
    }
    console.log(`\nResult of the last step: ${run.result}`);
    console.log('\nMetrics:');
    console.log(`  offloaded ${metrics.offloaded}, inline ${metrics.inline}, retrieved ${metrics.retrieved}, passed through ${metrics.passedThrough}`);
    console.log(`  (passed through: messages that retrieve() got with no reference in them, the small payloads carried`);
    console.log(`  inline and the workflow's empty first input, and handed back unchanged)`);
    console.log(`  ${metrics.bytesOffloaded} bytes offloaded, stored as ${metrics.bytesStored} (compression ratio ${metrics.compressionRatio.toFixed(3)})`);
    console.log(`  offload latency mean ${metrics.latency.offload.meanMs.toFixed(1)} ms, retrieve mean ${metrics.latency.retrieve.meanMs.toFixed(1)} ms; errors ${JSON.stringify(metrics.errors)}`);
  }
} finally {
  await manager.close();
}
