// The 'cloudflare:workers' module the test Workflows import, typed from @cloudflare/workers-types
// without loading its global types (they clash with Node's).
declare module 'cloudflare:workers' {
  import type { CloudflareWorkersModule } from '@cloudflare/workers-types/latest/index.js';

  export const WorkflowEntrypoint: typeof CloudflareWorkersModule.WorkflowEntrypoint;
  export type WorkflowEntrypoint<Env, Params> = CloudflareWorkersModule.WorkflowEntrypoint<Env, Params>;
  export type WorkflowEvent<Params> = CloudflareWorkersModule.WorkflowEvent<Params>;
  export type WorkflowStep = CloudflareWorkersModule.WorkflowStep;
}
