// Workflows whose steps return 10 MB, with and without claimCheckWorkflow, and a route to drive them.
import { WorkflowEntrypoint, type WorkflowEvent, type WorkflowStep } from 'cloudflare:workers';
import { claimCheckWorkflow } from '../../src/index.js';
import { type BucketEnv, managerFor, patternBytes, sha256Hex } from './worker-manager.js';

interface WorkflowBinding {
  create(options: { id?: string; params?: unknown }): Promise<WorkflowInstance>;
  get(id: string): Promise<WorkflowInstance>;
}
interface WorkflowInstance {
  id: string;
  status(): Promise<{ status: string; error?: { name: string; message: string }; output?: unknown }>;
  sendEvent(event: { type: string; payload: unknown }): Promise<void>;
}
interface Env extends BucketEnv {
  LARGE_STEPS: WorkflowBinding;
  PLAIN_STEPS: WorkflowBinding;
}
interface Params {
  seed: number;
  bytes: number[];
}

const stepBytes = 10_000_000;

/** A step returns 10 MB through claimCheckWorkflow; the next step reads it. Its params and an awaited event are over 1 MiB too. */
export class LargeStepsWorkflow extends WorkflowEntrypoint<Env, unknown> {
  override async run(event: WorkflowEvent<unknown>, step: WorkflowStep): Promise<unknown> {
    const claimcheck = claimCheckWorkflow(await managerFor(this.env));
    const params = await claimcheck.resolve<Params>(event.payload);
    const large = await claimcheck.do(step, 'produce 10 MB', async () => patternBytes(stepBytes, params.seed));
    const digest = await claimcheck.do(step, 'read the 10 MB', { retries: { limit: 0, delay: 0 } }, async () => sha256Hex(large));
    const waited = await step.waitForEvent<{ claimcheck: string; format: string }>('a large event', { type: 'large', timeout: '1 minute' });
    const eventBytes = await claimcheck.resolve<Uint8Array>(waited.payload);
    return { digest, paramsDigest: await sha256Hex(Uint8Array.from(params.bytes)), eventDigest: await sha256Hex(eventBytes), eventSize: eventBytes.byteLength };
  }
}

/** The same 10 MB step result without claimcheck. */
export class PlainStepsWorkflow extends WorkflowEntrypoint<Env, unknown> {
  override async run(_event: WorkflowEvent<unknown>, step: WorkflowStep): Promise<unknown> {
    const large = await step.do('produce 10 MB', { retries: { limit: 0, delay: 0 } }, async () => patternBytes(stepBytes, 1));
    return { size: large.byteLength };
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const id = url.searchParams.get('id') ?? '';
    try {
      switch (url.pathname) {
        case '/create-large': {
          const claimcheck = claimCheckWorkflow(await managerFor(env));
          // JSON has no bytes: the params carry them as an array of numbers, well over 1 MiB.
          const params = await claimcheck.payload({ seed: 11, bytes: Array.from(patternBytes(600_000, 12)) });
          const instance = await env.LARGE_STEPS.create({ id, params });
          return Response.json({ ok: true, id: instance.id });
        }
        case '/send-large-event': {
          const claimcheck = claimCheckWorkflow(await managerFor(env));
          const payload = await claimcheck.payload(patternBytes(2_000_000, 13));
          await (await env.LARGE_STEPS.get(id)).sendEvent({ type: 'large', payload });
          return Response.json({ ok: true });
        }
        case '/create-plain':
          return Response.json({ ok: true, id: (await env.PLAIN_STEPS.create({ id })).id });
        case '/status': {
          const binding = url.searchParams.get('workflow') === 'plain' ? env.PLAIN_STEPS : env.LARGE_STEPS;
          return Response.json({ ok: true, ...(await (await binding.get(id)).status()) });
        }
        default:
          return new Response('no such route', { status: 404 });
      }
    } catch (error) {
      return Response.json({ ok: false, error: String(error) });
    }
  },
};
