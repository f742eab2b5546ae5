// Records a workflow history for replay tests with no Temporal server: the layout of the SDK's own
// recorded fixtures (sdk-typescript packages/test/history_files/*.json), filled with the payloads the
// SDK itself produces — each value through a real DataConverter and ExternalStorage, so the history
// holds the driver's real claims, and the blobs sit in the store it was given.
//
//   node scripts/replay-history.mjs   (after `pnpm build`) rewrites test/fixtures/replay/: history.json
//                                     and the filesystem store (blobs/) its claims point into.
import { rm, writeFile } from 'node:fs/promises';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { ExternalStorage } from '@temporalio/common';
import { encodeToPayloads, ExternalStorageRunner, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';

/** The workflow, task queue and run the history records (test/fixtures/workflows.ts). */
export const recorded = { namespace: 'default', workflowType: 'summarizeReport', activityType: 'summarize', taskQueue: 'reports', workflowId: 'report-q3', runId: '0b8a4c55-3f5e-4a36-9d1d-6a3e0c6f4b21' };

/** The workflow's input and its activity's result: each over the 256 KiB threshold. */
export function recordedValues() {
  const report = { title: 'Q3', rows: Array.from({ length: 20_000 }, (_, id) => ({ id, status: id % 7 === 0 ? 'late' : 'ok' })) };
  const summary = { title: report.title, count: report.rows.length, lines: report.rows.map((row) => `${report.title} row ${row.id}: ${row.status}`) };
  return { report, summary };
}

/**
 * The history, as the JSON `temporal workflow show -o json` writes, of one run of summarizeReport:
 * started with `report`, one activity that returned `summary`, completed with `summary`. Payloads
 * are encoded and stored through `dataConverter` as a client (the input, no run id yet) and a worker
 * (the activity's input and result, the workflow's result, filed under the run) would.
 */
export async function recordHistory(dataConverter, values = recordedValues()) {
  const loaded = loadDataConverter(dataConverter);
  const runner = new ExternalStorageRunner(dataConverter.externalStorage);
  const { namespace, workflowType, activityType, taskQueue, workflowId, runId } = recorded;
  const asClient = { kind: 'workflow', namespace, id: workflowId, type: workflowType };
  const asWorker = { ...asClient, runId };
  const payloads = async (value, target) => ({ payloads: await runner.store(await encodeToPayloads(loaded, value), { target }) });
  const queue = { name: taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' };
  const identity = 'claimcheck-replay-recorder';
  let time = Date.parse('2026-01-01T00:00:00.000Z');
  const events = [];
  const event = (eventType, attributes) => {
    const eventId = events.length + 1;
    time += 5;
    events.push({ eventId, eventTime: { seconds: Math.floor(time / 1000), nanos: (time % 1000) * 1e6 }, eventType, [`${camel(eventType)}EventAttributes`]: attributes });
    return eventId;
  };
  const workflowTask = () => {
    const scheduledEventId = event('WorkflowTaskScheduled', { taskQueue: queue, startToCloseTimeout: { seconds: 10 }, attempt: 1 });
    const startedEventId = event('WorkflowTaskStarted', { scheduledEventId, identity, requestId: `request-${scheduledEventId}` });
    return event('WorkflowTaskCompleted', { scheduledEventId, startedEventId, identity });
  };
  event('WorkflowExecutionStarted', {
    workflowType: { name: workflowType },
    taskQueue: queue,
    input: await payloads(values.report, asClient),
    workflowTaskTimeout: { seconds: 10 },
    originalExecutionRunId: runId,
    firstExecutionRunId: runId,
    identity,
    attempt: 1,
    header: { fields: {} },
    workflowId,
  });
  const scheduling = workflowTask();
  const scheduledEventId = event('ActivityTaskScheduled', {
    activityId: '1',
    activityType: { name: activityType },
    taskQueue: queue,
    header: { fields: {} },
    input: await payloads(values.report, asWorker),
    startToCloseTimeout: { seconds: 60 },
    workflowTaskCompletedEventId: scheduling,
  });
  const startedEventId = event('ActivityTaskStarted', { scheduledEventId, identity, requestId: 'activity-request', attempt: 1 });
  event('ActivityTaskCompleted', { result: await payloads(values.summary, asWorker), scheduledEventId, startedEventId, identity });
  const completing = workflowTask();
  event('WorkflowExecutionCompleted', { result: await payloads(values.summary, asWorker), workflowTaskCompletedEventId: completing });
  return historyToJSON({ events: events.map(({ eventType, ...rest }) => ({ ...rest, eventType: eventTypes[eventType] })) });
}

// The proto enum values of the event types used above.
const eventTypes = {
  WorkflowExecutionStarted: 1,
  WorkflowExecutionCompleted: 2,
  WorkflowTaskScheduled: 5,
  WorkflowTaskStarted: 6,
  WorkflowTaskCompleted: 7,
  ActivityTaskScheduled: 10,
  ActivityTaskStarted: 11,
  ActivityTaskCompleted: 12,
};

function camel(name) {
  return name[0].toLowerCase() + name.slice(1);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { FilesystemStore } = await import('@claimcheck/store-fs');
  const { ClaimCheckStorageDriver } = await import('@claimcheck/temporal');
  const directory = new URL('../test/fixtures/replay/', import.meta.url);
  await rm(new URL('blobs', directory), { recursive: true, force: true });
  const store = new FilesystemStore({ basePath: fileURLToPath(new URL('blobs', directory)) });
  const externalStorage = new ExternalStorage({ drivers: [new ClaimCheckStorageDriver({ store })] });
  await writeFile(new URL('history.json', directory), `${await recordHistory({ externalStorage })}\n`);
  await store.close();
  console.log(`wrote ${fileURLToPath(directory)}history.json and its blobs`);
}
