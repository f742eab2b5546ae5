// A minimal workflow engine: runs steps in order, and hands each step's output to the next through
// the claim-check manager, as a message bus between workers would carry it.
import { createHash } from 'node:crypto';
import { isReference, parseReference } from '@claimcheck/manager';

/**
 * Runs `steps` ({ name, run(input) => Uint8Array }) in a chain. Each output goes through
 * `manager.offload` (the "message" the next worker receives) and back through `manager.retrieve`.
 * Resolves with what happened to every step's output.
 */
export async function runWorkflow(steps, manager) {
  const record = [];
  let message = new Uint8Array(0);
  for (const step of steps) {
    const input = await manager.retrieve(message);
    const output = await step.run(input);
    message = await manager.offload(output);
    const reference = isReference(message) ? parseReference(message) : undefined;
    record.push({
      step: step.name,
      bytes: output.byteLength,
      sha256: createHash('sha256').update(output).digest('hex'),
      messageBytes: message.byteLength,
      offloaded: reference !== undefined,
      encoding: reference?.encoding ?? null,
      storedBytes: reference?.storedSize ?? null,
      key: reference?.key ?? null,
      reference: reference === undefined ? null : new TextDecoder().decode(message),
    });
  }
  const final = await manager.retrieve(message);
  return { steps: record, result: new TextDecoder().decode(final) };
}
