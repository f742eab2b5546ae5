// The processor file BullMQ runs in a child process or worker thread for a sandboxed `ClaimCheckWorker`.
// It creates its own manager, loads the user's processor file, and resolves references around it.
import { pathToFileURL } from 'node:url';
import { ClaimCheckError } from '@claimcheck/core';
import { configFromEnv, createManager, type ManagerConfig } from '@claimcheck/manager';
import { processWithClaimCheck, updateDataWithClaimCheck, type ProcessedJob } from './job-processing.js';
import { PayloadCodec } from './payload-codec.js';
import { managerConfigVariable, processorVariable } from './sandbox-environment.js';

/** The job a sandboxed processor receives: BullMQ's plain stand-in object, with `updateData` sent to the parent. */
interface SandboxedJob extends ProcessedJob {
  updateData(data: unknown): Promise<void>;
}

type Processor = (job: SandboxedJob, token?: string, signal?: AbortSignal) => unknown;

let loading: Promise<{ processor: Processor; codec: PayloadCodec }> | undefined;

// A sandbox has no Redis connection: the parent worker registers the blobs when it hears the outcome.
const registeredByParent = () => Promise.resolve();

/** Processes one job in the sandbox; BullMQ calls it with the job it sent over. */
export default async function claimCheckSandboxedProcessor(job: SandboxedJob, token?: string, signal?: AbortSignal): Promise<unknown> {
  loading ??= load();
  const { processor, codec } = await loading;
  // BullMQ builds this job as a plain object in the child (no class to extend, unlike the parent's
  // `Job`), so its `updateData` is replaced here: it must send a reference, not large data, to the parent.
  const sendToParent = job.updateData.bind(job);
  job.updateData = (data: unknown) => updateDataWithClaimCheck(job, data, sendToParent, codec, registeredByParent);
  return processWithClaimCheck(job, async (resolved) => processor(resolved, token, signal), codec, registeredByParent);
}

async function load(): Promise<{ processor: Processor; codec: PayloadCodec }> {
  const file = process.env[processorVariable];
  if (file === undefined || file === '') throw sandboxError(`${processorVariable} is not set: start sandboxed workers with ClaimCheckWorker`);
  const configText = process.env[managerConfigVariable];
  const config = configText === undefined ? configFromEnv() : (JSON.parse(configText) as ManagerConfig);
  const [module, manager] = await Promise.all([import(file.startsWith('file:') ? file : pathToFileURL(file).href) as Promise<unknown>, createManager(config)]);
  return { processor: processorOf(module, file), codec: new PayloadCodec(manager) };
}

// The same exports BullMQ accepts from a processor file: a default export, or a module's default's default.
function processorOf(module: unknown, file: string): Processor {
  let candidate = (module as { default?: unknown }).default;
  if (typeof candidate === 'object' && candidate !== null && 'default' in candidate) candidate = candidate.default;
  if (typeof candidate !== 'function') throw sandboxError(`no function is exported as default from ${file}`);
  return candidate as Processor;
}

function sandboxError(detail: string): ClaimCheckError {
  return new ClaimCheckError({ code: 'INVALID_CONFIG', operation: 'sandbox', backend: 'bullmq', detail });
}
