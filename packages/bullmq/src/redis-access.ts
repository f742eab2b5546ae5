/** The few ioredis commands the blob registry uses; BullMQ 5's client and BullMQ 6's ioredis client both have them. */
export interface RegistryRedis {
  hset(key: string, field: string, value: string): Promise<unknown>;
  hdel(key: string, ...fields: string[]): Promise<unknown>;
  hscan(key: string, cursor: string, count: 'COUNT', size: number): Promise<[string, string[]]>;
  scan(cursor: string, match: 'MATCH', pattern: string, count: 'COUNT', size: number): Promise<[string, string[]]>;
  zadd(key: string, ...scoresAndMembers: (number | string)[]): Promise<unknown>;
  zrangebyscore(key: string, min: string, max: number, limit: 'LIMIT', offset: number, count: number): Promise<string[]>;
  zrange(key: string, start: number, stop: number, withScores: 'WITHSCORES'): Promise<string[]>;
  zrem(key: string, ...members: string[]): Promise<unknown>;
  pipeline(): RegistryPipeline;
}

/** The pipelined commands the registry uses: one round trip for a batch of checks. */
export interface RegistryPipeline {
  exists(key: string): unknown;
  hexists(key: string, field: string): unknown;
  zscore(key: string, member: string): unknown;
  exec(): Promise<[Error | null, unknown][] | null>;
}

interface ClientHolder {
  getBackend?: () => { client: Promise<unknown> };
  client?: Promise<unknown>;
}

/** The Redis client of a BullMQ Queue, Worker or FlowProducer: `client` in 5.x, `getBackend().client` in 6.x. */
export function redisClientOf(holder: object): Promise<RegistryRedis> {
  const candidate = holder as ClientHolder;
  const client = typeof candidate.getBackend === 'function' ? candidate.getBackend().client : candidate.client;
  if (client === undefined) throw new TypeError('not a BullMQ Queue, Worker or FlowProducer: it has no Redis client');
  return client as Promise<RegistryRedis>;
}

/** The replies of a pipeline, in order; the first command that failed throws its error. */
export async function pipelineReplies(pipeline: RegistryPipeline, expected: number): Promise<unknown[]> {
  const results = (await pipeline.exec()) ?? [];
  return Array.from({ length: expected }, (_, index) => {
    const [error, reply] = results[index] ?? [new Error('Redis gave no reply to a pipelined command'), undefined];
    if (error !== null) throw error;
    return reply;
  });
}
