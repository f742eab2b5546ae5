/** The store's own bounds on waiting and on streamed uploads; they apply with an injected `client` too. */
export interface R2StoreLimits {
  /**
   * Deadline on the time one request waits on the server: connecting, an answer that does not come,
   * the retries and the backoff between them, the response headers after a body was sent. Time
   * spent moving a body does not count (only `requestTimeoutMs` bounds that). Default 30 000.
   */
  waitTimeoutMs?: number | undefined;
  /** The same deadline for `health()`, which must answer quickly. Default 5 000. */
  healthTimeoutMs?: number | undefined;
  /** Part size of a streamed upload (`putStream`); at least 5 MiB, S3's minimum. Default 8 MiB. */
  partSizeBytes?: number | undefined;
  /** Parts of one streamed upload sent at once; memory stays near (partsInFlight + 1) × partSizeBytes. Default 2. */
  partsInFlight?: number | undefined;
}

/** The limits once checked, defaults applied. */
export type ResolvedLimits = Required<{ [K in keyof R2StoreLimits]: number }>;

const MiB = 1024 * 1024;
/** S3's smallest part but the last, and its largest. */
const minPartBytes = 5 * MiB;
const maxPartBytes = 5 * 1024 * MiB;
const maxPartsInFlight = 64;

const defaults: ResolvedLimits = { waitTimeoutMs: 30_000, healthTimeoutMs: 5_000, partSizeBytes: 8 * MiB, partsInFlight: 2 };

/** Applies the defaults, and names every malformed limit in `problems` (never echoing a value). */
export function resolveLimits(options: R2StoreLimits): { limits: ResolvedLimits; problems: string[] } {
  const limits: ResolvedLimits = {
    waitTimeoutMs: options.waitTimeoutMs ?? defaults.waitTimeoutMs,
    healthTimeoutMs: options.healthTimeoutMs ?? defaults.healthTimeoutMs,
    partSizeBytes: options.partSizeBytes ?? defaults.partSizeBytes,
    partsInFlight: options.partsInFlight ?? defaults.partsInFlight,
  };
  const problems: string[] = [];
  for (const field of ['waitTimeoutMs', 'healthTimeoutMs'] as const) {
    const value = limits[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) problems.push(`${field} must be a positive number`);
  }
  const { partSizeBytes, partsInFlight } = limits;
  if (!Number.isInteger(partSizeBytes) || partSizeBytes < minPartBytes || partSizeBytes > maxPartBytes) {
    problems.push(`partSizeBytes must be an integer from ${minPartBytes} (5 MiB) to ${maxPartBytes} (5 GiB)`);
  }
  if (!Number.isInteger(partsInFlight) || partsInFlight < 1 || partsInFlight > maxPartsInFlight) {
    problems.push(`partsInFlight must be an integer from 1 to ${maxPartsInFlight}`);
  }
  return { limits, problems };
}
