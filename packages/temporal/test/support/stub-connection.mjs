// A Temporal connection with no server behind it, for the client's `start` and `result`: each
// workflow it is asked to start completes at once with `complete(input payloads)` (by default its
// input: an echo). It records every start request as the client sent it, so a test sees exactly what
// would have gone over the wire. Used by the client tests and, through stub-temporal.mjs, by the
// README's start-dev example.

/** A `ConnectionLike` answering startWorkflowExecution and getWorkflowExecutionHistory. */
export class StubConnection {
  starts = [];
  plugins = [];
  operatorService = {};
  #results = new Map();

  constructor(complete = async (input) => input) {
    this.workflowService = {
      startWorkflowExecution: async (request) => {
        this.starts.push(request);
        this.#results.set(request.workflowId, await complete(request.input?.payloads ?? [], request));
        return { runId: crypto.randomUUID(), started: true };
      },
      getWorkflowExecutionHistory: async (request) => {
        const payloads = this.#results.get(request.execution?.workflowId);
        if (payloads === undefined) throw new Error(`no workflow ${request.execution?.workflowId} was started`);
        return { history: { events: [{ eventId: 1, eventType: 2, workflowExecutionCompletedEventAttributes: { result: { payloads } } }] } };
      },
    };
  }

  async close() {}
  async ensureConnected() {}
  withDeadline(_deadline, fn) {
    return fn();
  }
  withMetadata(_metadata, fn) {
    return fn();
  }
  withApiKey(_apiKey, fn) {
    return fn();
  }
  withAbortSignal(_signal, fn) {
    return fn();
  }
}
