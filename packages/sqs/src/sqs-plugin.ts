import {
  type ChangeMessageVisibilityBatchCommandInput,
  type ChangeMessageVisibilityCommandInput,
  DeleteMessageCommand,
  type DeleteMessageBatchCommandInput,
  type DeleteMessageBatchCommandOutput,
  type DeleteMessageCommandInput,
  type ReceiveMessageCommandInput,
  type ReceiveMessageCommandOutput,
  type SendMessageBatchCommandInput,
  type SendMessageBatchCommandOutput,
  type SendMessageCommandInput,
  type ServiceInputTypes,
  type ServiceOutputTypes,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { OperationContext } from '@claimcheck/core/store-helpers';
import type { ExtendedClientOptions } from './extended-options.js';
import { type ExtendedClientPlugin, extendedParts, extendedPlugin } from './extended-plugin.js';
import { mayHoldPointer } from './incoming.js';
import { resolveAll } from './resolve-all.js';
import { isEmbeddedReceiptHandle, locationInReceiptHandle, originalReceiptHandle, type PayloadLocation, RESERVED_ATTRIBUTE_NAMES } from './wire-format.js';

type Next = (input: object) => Promise<object>;

const context = (operation: string): OperationContext => ({ operation, backend: 'sqs' });

/**
 * The SQS extended client as middleware on your own `SQSClient`: large messages go through S3 on
 * send and come back on receive, deletes remove their payloads. `sqs` is the client the plugin is
 * added to; it deletes messages whose payload is missing when `ignorePayloadNotFound` is set.
 *
 * `sqs.middlewareStack.use(sqsExtendedPlugin(sqs, { bucket, endpoint, … }))`
 */
export function sqsExtendedPlugin(sqs: SQSClient, options: ExtendedClientOptions): ExtendedClientPlugin<ServiceInputTypes, ServiceOutputTypes> {
  const parts = extendedParts(options, 'sqs');
  const { settings, bucket, outgoing, incoming } = parts;

  async function sendMessage(input: SendMessageCommandInput, next: Next) {
    const message = { body: input.MessageBody, attributes: input.MessageAttributes };
    return outgoing.single(message, context('SendMessage'), (offloaded) =>
      next(offloaded === undefined ? input : { ...input, MessageBody: offloaded.body, MessageAttributes: offloaded.attributes }),
    );
  }

  async function sendMessageBatch(input: SendMessageBatchCommandInput, next: Next) {
    const entries = (input.Entries ?? []).map((entry) => ({ id: entry.Id ?? '', message: { body: entry.MessageBody, attributes: entry.MessageAttributes } }));
    return outgoing.batch(entries, context('SendMessageBatch'), async (offloaded) => {
      if (offloaded.size === 0) return (await next(input)) as SendMessageBatchCommandOutput;
      const sent = input.Entries?.map((entry) => {
        const pointer = offloaded.get(entry.Id ?? '');
        return pointer === undefined ? entry : { ...entry, MessageBody: pointer.body, MessageAttributes: pointer.attributes };
      });
      return (await next({ ...input, Entries: sent })) as SendMessageBatchCommandOutput;
    });
  }

  async function receiveMessage(input: ReceiveMessageCommandInput, next: Next, signal: AbortSignal | undefined) {
    const operation = context('ReceiveMessage');
    const asked = input.MessageAttributeNames ?? [];
    // The receiver asks for the markers itself, so that the caller does not have to.
    const names = asked.includes('All') || asked.includes('.*') ? asked : [...asked.filter((name) => !RESERVED_ATTRIBUTE_NAMES.includes(name)), ...RESERVED_ATTRIBUTE_NAMES];
    const output = (await next({ ...input, MessageAttributeNames: names })) as ReceiveMessageCommandOutput;
    // Most receives hold no pointer: they go back as they came, with no payload read set up per message.
    if (output.Messages === undefined || !output.Messages.some(mayHoldPointer)) return output;
    const deleteMissing = (receiptHandle: string) => sqs.send(new DeleteMessageCommand({ QueueUrl: input.QueueUrl, ReceiptHandle: receiptHandle }));
    const resolved = await resolveAll(output.Messages, (message, readSignal) => incoming.resolve(message, operation, deleteMissing, readSignal), signal);
    return { ...output, Messages: resolved.filter((message) => message !== undefined) };
  }

  async function deleteMessage(input: DeleteMessageCommandInput, next: Next) {
    const handle = input.ReceiptHandle ?? '';
    if (!isEmbeddedReceiptHandle(handle)) return next(input);
    const operation = context('DeleteMessage');
    const location = payloadToDelete(handle, operation);
    // The message goes first: a payload deleted before a failed message delete would lose the message.
    const output = await next({ ...input, ReceiptHandle: originalReceiptHandle(handle) });
    if (location !== undefined) {
      const left = await bucket.discard([location], undefined, operation);
      if (left !== undefined) throw left;
    }
    return output;
  }

  async function deleteMessageBatch(input: DeleteMessageBatchCommandInput, next: Next) {
    const operation = context('DeleteMessageBatch');
    const locations = new Map<string, PayloadLocation>();
    const entries = input.Entries?.map((entry) => {
      const handle = entry.ReceiptHandle ?? '';
      if (!isEmbeddedReceiptHandle(handle)) return entry;
      const location = payloadToDelete(handle, operation);
      if (location !== undefined) locations.set(entry.Id ?? '', location);
      return { ...entry, ReceiptHandle: originalReceiptHandle(handle) };
    });
    const output = (await next({ ...input, Entries: entries })) as DeleteMessageBatchCommandOutput;
    const deleted = (output.Successful ?? []).flatMap(({ Id }) => {
      const location = locations.get(Id ?? '');
      return location === undefined ? [] : [location];
    });
    const left = await bucket.discard(deleted, undefined, operation);
    if (left !== undefined) throw left;
    return output;
  }

  /** The payload a delete must remove, checked against the allowlist before the message goes. */
  function payloadToDelete(handle: string, operation: OperationContext): PayloadLocation | undefined {
    if (!settings.cleanupS3Payload) return undefined;
    const location = locationInReceiptHandle(handle);
    bucket.assertAllowed(location, operation);
    return location;
  }

  const changeMessageVisibility = (input: ChangeMessageVisibilityCommandInput, next: Next) =>
    next({ ...input, ReceiptHandle: stripped(input.ReceiptHandle) });

  const changeMessageVisibilityBatch = (input: ChangeMessageVisibilityBatchCommandInput, next: Next) =>
    next({ ...input, Entries: input.Entries?.map((entry) => ({ ...entry, ReceiptHandle: stripped(entry.ReceiptHandle) })) });

  return extendedPlugin('claimcheckSqsExtendedClient', parts, {
    SendMessageCommand: sendMessage,
    SendMessageBatchCommand: sendMessageBatch,
    ReceiveMessageCommand: receiveMessage,
    DeleteMessageCommand: deleteMessage,
    DeleteMessageBatchCommand: deleteMessageBatch,
    ChangeMessageVisibilityCommand: changeMessageVisibility,
    ChangeMessageVisibilityBatchCommand: changeMessageVisibilityBatch,
  });
}

function stripped(handle: string | undefined): string | undefined {
  return handle !== undefined && isEmbeddedReceiptHandle(handle) ? originalReceiptHandle(handle) : handle;
}
