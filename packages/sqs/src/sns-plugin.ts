import type { PublishBatchCommandInput, PublishBatchCommandOutput, PublishCommandInput, ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-sns';
import type { ExtendedClientOptions } from './extended-options.js';
import { type ExtendedClientPlugin, extendedParts, extendedPlugin } from './extended-plugin.js';

type Next = (input: object) => Promise<object>;

/**
 * The SNS extended client as middleware on your own `SNSClient`: `Publish` and `PublishBatch`
 * offload large messages to S3 the way the Java SNS extended client does; an SQS subscriber with
 * `sqsExtendedPlugin` reads them, with raw delivery or without.
 *
 * `sns.middlewareStack.use(snsExtendedPlugin({ bucket, endpoint, … }))`
 */
export function snsExtendedPlugin(options: ExtendedClientOptions): ExtendedClientPlugin<ServiceInputTypes, ServiceOutputTypes> {
  const parts = extendedParts(options, 'sns');
  const { outgoing } = parts;

  async function publish(input: PublishCommandInput, next: Next) {
    const message = { body: input.Message, attributes: input.MessageAttributes, perProtocolBodies: input.MessageStructure === 'json' };
    return outgoing.single(message, { operation: 'Publish', backend: 'sns' }, (offloaded) =>
      next(offloaded === undefined ? input : { ...input, Message: offloaded.body, MessageAttributes: offloaded.attributes }),
    );
  }

  async function publishBatch(input: PublishBatchCommandInput, next: Next) {
    const entries = (input.PublishBatchRequestEntries ?? []).map((entry) => ({
      id: entry.Id ?? '',
      message: { body: entry.Message, attributes: entry.MessageAttributes, perProtocolBodies: entry.MessageStructure === 'json' },
    }));
    return outgoing.batch(entries, { operation: 'PublishBatch', backend: 'sns' }, async (offloaded) => {
      if (offloaded.size === 0) return (await next(input)) as PublishBatchCommandOutput;
      const sent = input.PublishBatchRequestEntries?.map((entry) => {
        const pointer = offloaded.get(entry.Id ?? '');
        return pointer === undefined ? entry : { ...entry, Message: pointer.body, MessageAttributes: pointer.attributes };
      });
      return (await next({ ...input, PublishBatchRequestEntries: sent })) as PublishBatchCommandOutput;
    });
  }

  return extendedPlugin('claimcheckSnsExtendedClient', parts, { PublishCommand: publish, PublishBatchCommand: publishBatch });
}
