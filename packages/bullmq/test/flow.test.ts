import { MemoryStore } from '@claimcheck/core';
import { ClaimCheckFlowProducer, ClaimCheckQueue } from '@claimcheck/bullmq';
import { FlowProducer } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { blobCount, claimCheckWorker, connection, dataOfSize, managerFor, onCleanup, plainQueue, queueEvents } from './support/fixtures.js';

describe('ClaimCheckFlowProducer', () => {
  it('offloads parent and child data, and the parent sees its children’s resolved results', async () => {
    const store = new MemoryStore();
    const manager = await managerFor(store);
    const parents = new ClaimCheckQueue(plainQueue(), { manager });
    const children = plainQueue();
    const producer = new FlowProducer({ connection: connection() });
    onCleanup(() => producer.close());
    const flows = new ClaimCheckFlowProducer(producer, { manager });
    claimCheckWorker<{ text: string }, string>(children.name, async (job) => job.data.text.toUpperCase(), { connection: connection(), manager });
    const seenByParent: unknown[] = [];
    claimCheckWorker<{ text: string }, string>(parents.queue.name, async (job) => {
      const values = await job.getChildrenValues();
      seenByParent.push(job.data, await Promise.all(Object.values(values as Record<string, unknown>).map((value) => parents.resolveValue(value))));
      return 'parent done';
    }, { connection: connection(), manager });
    const events = await queueEvents(parents.queue.name);
    const big = dataOfSize(6000, 1).text;
    const tree = await flows.add({
      name: 'parent',
      queueName: parents.queue.name,
      data: { text: big },
      children: [
        { name: 'child', queueName: children.name, data: { text: 'a'.repeat(5000) } },
        { name: 'child', queueName: children.name, data: { text: 'small' } },
      ],
    });
    expect(tree.job.data).toEqual({ text: big });
    expect(tree.children?.map((child) => child.job.data as unknown)).toEqual([{ text: 'a'.repeat(5000) }, { text: 'small' }]);
    await expect(parents.waitUntilFinished(tree.job, events)).resolves.toBe('parent done');
    expect(seenByParent[0]).toEqual({ text: big });
    expect(new Set(seenByParent[1] as string[])).toEqual(new Set(['A'.repeat(5000), 'SMALL']));
    // parent data, one child's data and that child's result
    expect(await blobCount(store)).toBe(3);
  });
});
