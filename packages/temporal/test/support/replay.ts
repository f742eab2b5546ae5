import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { bundleWorkflowCode, DefaultLogger, makeTelemetryFilterString, Runtime, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';

const workflowsPath = fileURLToPath(new URL('../fixtures/workflows.ts', import.meta.url));
let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

// Workers log every state change at INFO, and a failing task (which a test provokes) at WARN. Once per process.
try {
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
} catch {
  // already installed by another test file in this process
}

/** test/fixtures/workflows.ts, bundled once per test file (webpack takes seconds). */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath, logger: quietLogger });
  return bundle;
}

/**
 * Replays a history JSON with `Worker.runReplayHistory`, no server, and resolves with what the
 * workflow reported to its `observed` sink during the replay, by label.
 */
export async function replay(historyJson: string, dataConverter: DataConverter): Promise<Map<string, unknown>> {
  const observed = new Map<string, unknown>();
  await Worker.runReplayHistory(
    {
      workflowBundle: await workflowBundle(),
      dataConverter,
      sinks: {
        observed: {
          value: {
            fn: (_info, label: string, value: unknown) => {
              observed.set(label, value);
            },
            callDuringReplay: true,
          },
        },
      },
    },
    historyFromJSON(JSON.parse(historyJson)),
  );
  return observed;
}

const quietLogger = {
  log() {},
  trace() {},
  debug() {},
  info() {},
  warn() {},
  error() {},
};
