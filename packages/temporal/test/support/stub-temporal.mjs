// Stand-ins for the two server-bound calls of the README's start-dev example, so that the same code
// runs here with no Temporal server: `Connection.connect` gives a StubConnection, and `Worker.create`
// gives a worker that, instead of running the workflow, runs its one activity on the decoded input and
// stores the result. Decoding and encoding go through the worker's own dataConverter, so the
// ExternalStorage driver stores and retrieves exactly as a worker's would.
import { decodeArrayFromPayloads, encodeToPayloads, ExternalStorageRunner, loadDataConverter } from '@temporalio/common/lib/internal-non-workflow/index.js';
import { StubConnection } from './stub-connection.mjs';

let registered;

export const Connection = {
  async connect() {
    return new StubConnection(async (input, request) => {
      if (registered === undefined) throw new Error('no worker was created');
      const { dataConverter, activities } = registered;
      const runner = new ExternalStorageRunner(dataConverter.externalStorage);
      const loaded = loadDataConverter(dataConverter);
      const args = await decodeArrayFromPayloads(loaded, await runner.retrieve(input));
      const result = await Object.values(activities)[0](...args);
      const target = { kind: 'workflow', namespace: request.namespace, id: request.workflowId, runId: 'stub-run', type: request.workflowType?.name };
      return runner.store(await encodeToPayloads(loaded, result), { target });
    });
  },
};

export const NativeConnection = {
  async connect() {
    return {};
  },
};

export const Worker = {
  async create(options) {
    registered = options;
    return {
      runUntil: (work) => work,
    };
  },
};
