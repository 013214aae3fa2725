/**
 * Counts the AWS requests the code under test sends, by operation. It wraps the SDK's Node HTTP
 * handler (every SDK v3 client in Node sends through `NodeHttpHandler.handle`, ours are built with
 * one explicitly), so it sees each round trip, retries included, whichever client or command
 * the code uses; nothing in lib/ has to expose its client for it.
 */
import { NodeHttpHandler } from '@smithy/node-http-handler';

export type RequestCounts = Record<string, number>;

const counts = new Map<string, number>();
let installed = false;

/** One request as the HTTP handler saw it: from the signed request going out to its answer. */
export interface RequestSpan {
  readonly operation: string;
  /** `performance.now()` at the start and end. */
  readonly start: number;
  readonly end: number;
}
let spans: RequestSpan[] | undefined;

/** Starts counting; idempotent. */
export function countAwsRequests(): void {
  if (installed) return;
  installed = true;
  const original = NodeHttpHandler.prototype.handle;
  NodeHttpHandler.prototype.handle = function (this: NodeHttpHandler, ...args: Parameters<NodeHttpHandler['handle']>) {
    const [request] = args;
    // `X-Amz-Target: DynamoDB_20120810.GetItem` for the JSON protocols (DynamoDB, SSM).
    const target = Object.entries(request.headers).find(([name]) => name.toLowerCase() === 'x-amz-target')?.[1];
    const operation = (target ?? `${request.method} ${request.hostname}${request.path}`).replace(/^DynamoDB_\d+\./, '');
    counts.set(operation, (counts.get(operation) ?? 0) + 1);
    const recording = spans;
    if (recording === undefined) return original.apply(this, args);
    const start = performance.now();
    const answered = original.apply(this, args);
    const record = () => recording.push({ operation, start, end: performance.now() });
    answered.then(record, record);
    return answered;
  };
}

export function awsRequestCounts(): RequestCounts {
  return Object.fromEntries(counts);
}

export function totalAwsRequests(snapshot: RequestCounts = awsRequestCounts()): number {
  return Object.values(snapshot).reduce((sum, n) => sum + n, 0);
}

/** The requests `run` made, in the order they were answered, and when it started and ended. */
export async function awsRequestSpans(run: () => Promise<unknown>): Promise<{ start: number; end: number; spans: RequestSpan[] }> {
  const recording: RequestSpan[] = [];
  spans = recording;
  const start = performance.now();
  try {
    await run();
  } finally {
    spans = undefined;
  }
  return { start, end: performance.now(), spans: recording };
}

/** Requests sent while `run` ran, by operation. */
export async function awsRequestsDuring(run: () => Promise<unknown>): Promise<RequestCounts> {
  const before = awsRequestCounts();
  await run();
  const after = awsRequestCounts();
  const delta: RequestCounts = {};
  for (const [operation, n] of Object.entries(after)) {
    const d = n - (before[operation] ?? 0);
    if (d !== 0) delta[operation] = d;
  }
  return delta;
}
