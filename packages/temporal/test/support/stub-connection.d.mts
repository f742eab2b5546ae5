import type { ConnectionLike } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

type StartRequest = temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest;

/** A `ConnectionLike` with no server: each started workflow completes with `complete(input)`, by default its input. */
export class StubConnection implements ConnectionLike {
  constructor(complete?: (input: Payload[], request: StartRequest) => Promise<Payload[]>);
  /** Every start request, as the client would have sent it. */
  readonly starts: StartRequest[];
  readonly plugins: [];
  readonly workflowService: ConnectionLike['workflowService'];
  readonly operatorService: ConnectionLike['operatorService'];
  close(): Promise<void>;
  ensureConnected(): Promise<void>;
  withDeadline<R>(deadline: number | Date, fn: () => Promise<R>): Promise<R>;
  withMetadata<R>(metadata: unknown, fn: () => Promise<R>): Promise<R>;
  withApiKey<R>(apiKey: string, fn: () => Promise<R>): Promise<R>;
  withAbortSignal<R>(signal: AbortSignal, fn: () => Promise<R>): Promise<R>;
}
