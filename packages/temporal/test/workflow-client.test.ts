import { parseReference } from '@claimcheck/manager';
import { Client, WorkflowClient } from '@temporalio/client';
import { ExternalStorage } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { ClaimCheckStorageDriver } from '../src/index.js';
import { isReferencePayload, referenceContent } from './support/sdk.js';
import { managerOn, storeTargets } from './support/stores.js';
import { StubConnection } from './support/stub-connection.mjs';

const report = { title: 'Q3', rows: Array.from({ length: 20_000 }, (_, id) => ({ id, status: 'ok' })) };

describe.each(storeTargets)('a WorkflowClient with ClaimCheckStorageDriver, on a stub connection, on the $name store', ({ create }) => {
  it('start() stores the large input and sends a claim; result() retrieves the original', async () => {
    const store = await create();
    const manager = await managerOn(store);
    const connection = new StubConnection();
    const client = new Client({ connection, namespace: 'billing', dataConverter: { externalStorage: new ExternalStorage({ drivers: [new ClaimCheckStorageDriver({ manager })] }) } });

    const handle = await client.workflow.start('summarize', { taskQueue: 'reports', workflowId: 'report-q3', args: [report] });
    const sent = connection.starts[0]?.input?.payloads?.[0];
    expect(isReferencePayload(sent)).toBe(true);
    const { claimData } = referenceContent(sent ?? {});
    // The client's start request has no run id yet: the claim records the namespace, workflow id and type.
    expect(claimData).toMatchObject({ version: '1', namespace: 'billing', workflowId: 'report-q3', workflowType: 'summarize' });
    expect(claimData.runId).toBeUndefined();
    expect(temporal.api.workflowservice.v1.StartWorkflowExecutionRequest.encode(connection.starts[0] ?? {}).finish().byteLength).toBeLessThan(2048);
    // Filed under the namespace and workflow; the run id is not known yet.
    const { key } = parseReference(claimData.reference ?? '');
    expect(key).toMatch(/^ns\/billing\/wf\/report-q3\/[0-9a-f-]{36}$/);
    expect(await store.get(key)).toBeInstanceOf(Uint8Array);

    expect(await handle.result()).toEqual(report);
  });

  it('a small input goes inline, untouched', async () => {
    const manager = await managerOn(await create());
    const connection = new StubConnection();
    const client = new WorkflowClient({ connection, dataConverter: { externalStorage: new ExternalStorage({ drivers: [new ClaimCheckStorageDriver({ manager })] }) } });
    expect(await client.execute('summarize', { taskQueue: 'reports', workflowId: 'small', args: [{ title: 'tiny' }] })).toEqual({ title: 'tiny' });
    expect(isReferencePayload(connection.starts[0]?.input?.payloads?.[0])).toBe(false);
  });
});
