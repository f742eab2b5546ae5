import type { ClaimCheckManager } from '@claimcheck/manager';
import { PayloadCarrier } from './carried-payload.js';
import { cloudflareLimits, defaultWorkflowInlineBytes, limitOption } from './cloudflare-limits.js';
import type { WorkflowStepConfigLike, WorkflowStepLike } from './workers-bindings.js';

/** Options of `claimCheckWorkflow`. */
export interface ClaimCheckWorkflowOptions {
  /** A result or payload whose encoding is larger is offloaded whatever the manager's threshold. Default 1 032 192 (1 MiB less 16 KiB). */
  maxInlineBytes?: number;
}

/** Step results and event payloads of any size for Cloudflare Workflows. */
export interface ClaimCheckWorkflow {
  /**
   * `step.do(name, config, fn)`, with a result over the limit stored and the step's durable result
   * its reference. The reference is resolved after every run and every replay, so the blob must live
   * as long as the workflow instance (see the README on lifecycle).
   */
  do<T>(step: WorkflowStepLike, name: string, fn: () => Promise<T>): Promise<T>;
  /** The same, with the step's retry and timeout config. */
  do<T>(step: WorkflowStepLike, name: string, config: WorkflowStepConfigLike, fn: () => Promise<T>): Promise<T>;
  /** What to pass as `create({ params })` or `sendEvent({ payload })`: the payload itself, or its reference when it is too large. */
  payload(payload: unknown): Promise<unknown>;
  /** The original of what `payload` gave (`event.payload` inside `run`, or a waited-for event's payload). */
  resolve<T>(carried: unknown): Promise<T>;
}

/** Creates the Workflows helper on a manager (whose store holds the offloaded results). */
export function claimCheckWorkflow(manager: ClaimCheckManager, options: ClaimCheckWorkflowOptions = {}): ClaimCheckWorkflow {
  const maxInlineBytes = limitOption(options.maxInlineBytes, defaultWorkflowInlineBytes, 'maxInlineBytes', cloudflareLimits.workflowPayloadBytes);
  const carrier = new PayloadCarrier(manager, maxInlineBytes, 'workflow');
  return {
    async do<T>(step: WorkflowStepLike, name: string, ...rest: [() => Promise<T>] | [WorkflowStepConfigLike, () => Promise<T>]): Promise<T> {
      const [config, fn] = rest.length === 1 ? [{}, rest[0]] : rest;
      // Offloading happens inside the step, so a retry of the step stores again and a replay stores nothing.
      const carried = await step.do(name, config, async () => (await carrier.carry(await fn())).value);
      return (await carrier.resolve(carried)) as T;
    },
    async payload(payload) {
      return (await carrier.carry(payload)).value;
    },
    async resolve<T>(carried: unknown): Promise<T> {
      return (await carrier.resolve(carried)) as T;
    },
  };
}
