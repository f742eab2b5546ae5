import { ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { onTestFinished } from 'vitest';
import { type ExtendedClientOptions, sqsExtendedPlugin } from '../../src/index.js';
import { extendedOptions, sqsClient } from './servers.js';

/** An SQS client with the plugin, its options (with the test's own key prefix), and a bare client beside it. */
export function extendedSqs(extra: ExtendedClientOptions = {}): { sqs: SQSClient; bare: SQSClient; options: ReturnType<typeof extendedOptions> } {
  const options = extendedOptions(extra);
  const sqs = sqsClient();
  const plugin = sqsExtendedPlugin(sqs, options);
  sqs.middlewareStack.use(plugin);
  onTestFinished(() => {
    plugin.destroy();
  });
  return { sqs, bare: sqsClient(), options };
}

/** Receives until `count` messages came back (fauxqs may hand them out over several calls). */
export async function receiveAll(
  sqs: SQSClient,
  queueUrl: string,
  count: number,
  attributeNames?: string[],
  extra: { VisibilityTimeout?: number } = {},
): Promise<Message[]> {
  const messages: Message[] = [];
  for (let attempt = 0; attempt < 10 && messages.length < count; attempt++) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, MessageAttributeNames: attributeNames, WaitTimeSeconds: 1, ...extra }),
    );
    messages.push(...Messages);
  }
  return messages;
}
