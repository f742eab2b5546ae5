import type { FlowJob, FlowOpts, FlowProducer, JobNode } from 'bullmq';
import { holdersFor, registerBlobs } from './blob-registry.js';
import { discardBlobs } from './discard-blobs.js';
import { PayloadCodec } from './payload-codec.js';
import type { ClaimCheckOptions } from './queue.js';
import { redisClientOf } from './redis-access.js';
import { cleanupWarner, type CleanupWarner } from './warnings.js';

// The part of a flow tree this wrapper touches, in BullMQ 5's and 6's shapes alike.
interface FlowNode {
  name: string;
  data?: unknown;
  children?: FlowNode[];
}

/**
 * A BullMQ `FlowProducer` whose parent and child jobs keep large data out of Redis, as `ClaimCheckQueue`
 * does for single jobs. If any node's data cannot be stored, no job of the flow is created.
 */
export class ClaimCheckFlowProducer {
  /** The wrapped flow producer. */
  readonly flowProducer: FlowProducer;
  readonly #codec: PayloadCodec;
  readonly #warn: CleanupWarner;

  constructor(flowProducer: FlowProducer, options: ClaimCheckOptions) {
    this.flowProducer = flowProducer;
    this.#codec = new PayloadCodec(options.manager);
    this.#warn = cleanupWarner(options);
  }

  /** Adds a flow; the returned tree's jobs carry the data that was passed in. */
  async add(flow: FlowJob, opts?: FlowOpts): Promise<JobNode> {
    const [node] = await this.addBulkWith([flow], async (encoded) => [await this.flowProducer.add(encoded[0] as FlowJob, opts)]);
    return node as JobNode;
  }

  /** Adds several flows at once, atomically as `FlowProducer.addBulk` does. */
  addBulk(flows: FlowJob[]): Promise<JobNode[]> {
    return this.addBulkWith(flows, (encoded) => this.flowProducer.addBulk(encoded as FlowJob[]));
  }

  /** Closes the wrapped flow producer (not the manager). */
  close(): Promise<void> {
    return this.flowProducer.close();
  }

  private async addBulkWith(flows: FlowJob[], addFlows: (encoded: FlowNode[]) => Promise<JobNode[]>): Promise<JobNode[]> {
    const carried: unknown[] = [];
    const encoded = await Promise.all((flows as FlowNode[]).map((flow) => this.#encode(flow, carried))).catch((error: unknown) =>
      discardBlobs(this.#codec.manager, this.#warn, carried, error),
    );
    const nodes = await addFlows(encoded).catch((error: unknown) => discardBlobs(this.#codec.manager, this.#warn, carried, error));
    const redis = await redisClientOf(this.flowProducer);
    await Promise.all(nodes.map((node, index) => restore(node, flows[index] as FlowNode, (job, reference) =>
      registerBlobs(redis, job.queueQualifiedName, holdersFor(job, 'data'), [reference]),
    )));
    return nodes;
  }

  async #encode(flow: FlowNode, carried: unknown[]): Promise<FlowNode> {
    const children = flow.children === undefined ? undefined : await Promise.all(flow.children.map((child) => this.#encode(child, carried)));
    if (!('data' in flow)) return { ...flow, ...(children && { children }) };
    const data = await this.#codec.encodeFor(flow.data, `the data of a ${flow.name} job`);
    carried.push(data);
    return { ...flow, data, ...(children && { children }) };
  }
}

// BullMQ returns the tree in the order it was given: put each node's own data back, and register its blob.
async function restore(node: JobNode, flow: FlowNode, register: (job: JobNode['job'], reference: unknown) => Promise<void>): Promise<void> {
  // registerBlobs skips data that stayed inline.
  await register(node.job, node.job.data);
  if ('data' in flow) node.job.data = flow.data;
  await Promise.all((node.children ?? []).map((child, index) => restore(child, flow.children?.[index] as FlowNode, register)));
}
