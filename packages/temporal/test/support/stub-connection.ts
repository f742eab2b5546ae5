import type { ConnectionLike } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type StartRequest = temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest;
type HistoryRequest = temporal.api.workflowservice.v1.IGetWorkflowExecutionHistoryRequest;

/**
 * A `ConnectionLike` with no server behind it: it answers the two calls a client's `start` and
 * `result` make. Each workflow it is asked to start "completes" at once with `complete(input)`, by
 * default its input: an echo, since nothing here runs workflows. It records every request as the
 * client sent it, so a test sees exactly what would have gone over the wire.
 */
export class StubConnection implements ConnectionLike {
  /** Every start request, as the client would have sent it. */
  readonly starts: StartRequest[] = [];
  readonly plugins = [];
  readonly operatorService = {} as unknown as ConnectionLike['operatorService'];
  readonly workflowService: ConnectionLike['workflowService'];
  readonly #results = new Map<string, Payload[]>();

  constructor(complete: (input: Payload[]) => Payload[] = (input) => input) {
    const service = {
      startWorkflowExecution: async (request: StartRequest) => {
        this.starts.push(request);
        const runId = crypto.randomUUID();
        this.#results.set(request.workflowId ?? '', complete(request.input?.payloads ?? []));
        return { runId, started: true };
      },
      getWorkflowExecutionHistory: async (request: HistoryRequest) => {
        const payloads = this.#results.get(request.execution?.workflowId ?? '');
        if (payloads === undefined) throw new Error(`no workflow ${request.execution?.workflowId ?? ''} was started`);
        return {
          history: { events: [{ eventId: 1, eventType: 2, workflowExecutionCompletedEventAttributes: { result: { payloads } } }] },
        };
      },
    };
    this.workflowService = service as unknown as ConnectionLike['workflowService'];
  }

  async close(): Promise<void> {}
  async ensureConnected(): Promise<void> {}
  async withDeadline<R>(_deadline: number | Date, fn: () => Promise<R>): Promise<R> {
    return fn();
  }
  async withMetadata<R>(_metadata: unknown, fn: () => Promise<R>): Promise<R> {
    return fn();
  }
  async withApiKey<R>(_apiKey: string, fn: () => Promise<R>): Promise<R> {
    return fn();
  }
  async withAbortSignal<R>(_signal: AbortSignal, fn: () => Promise<R>): Promise<R> {
    return fn();
  }
}
