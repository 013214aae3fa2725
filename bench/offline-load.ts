/**
 * Case 6: `GET /me` with a valid token through serverless offline, started exactly as the e2e
 * suite starts it (`npm start` on free ports, its own process group), under autocannon. This is
 * the local emulator's figure: worker threads on this machine, not API Gateway and Lambda.
 */
import autocannon from 'autocannon';
import { startService, stopService, type StartedService } from '../test/support/service-global-setup';

export const LOAD_CONNECTIONS = 50;
export const LOAD_SECONDS = 10;
/**
 * Warm-up: connections ramp up (all 50 at once on a cold emulator start ~100 workers together and
 * most requests time out), then steps at full load until one is quick and clean, or the budget is
 * spent.
 */
const WARMUP_RAMP = [5, 15, 30] as const;
const WARMUP_STEP_SECONDS = 2;
const WARMUP_MAX_SECONDS = 10;
const WARM_P99_MS = 1_000;

export interface OfflineLoadResult {
  readonly connections: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly total: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly statusCounts: Record<string, number>;
  /** Processes of the service's group still alive after it was stopped (should be none). */
  readonly leftoverProcesses: boolean;
}

/** `npm start` (DynamoDB Local + serverless offline) as the e2e suite starts it. */
export function startOfflineService(): Promise<StartedService> {
  return startService({ BCRYPT_COST: '4' }, 'bench service');
}

/** Loads the running service, then stops it (its whole process group). */
export async function loadThroughOffline(service: StartedService, log: (line: string) => void): Promise<OfflineLoadResult> {
  let measured: Omit<OfflineLoadResult, 'leftoverProcesses'>;
  try {
    const token = await userToken(service);
    const request = { url: `${service.baseUrl}/me`, headers: { authorization: `Bearer ${token}` } };
    const probe = await fetch(request.url, { headers: request.headers });
    if (probe.status !== 200) throw new Error(`GET /me answered ${probe.status} before the load`);

    // serverless offline starts a worker thread (and loads the bundle in it) for each concurrent
    // invocation it has no idle worker for, as Lambda starts containers: 50 connections mean about
    // 50 authorizer and 50 `me` workers. Their start is the emulator's cold start, not measured.
    log(`  warm-up: ${WARMUP_RAMP.join(', ')} connections, then ${LOAD_CONNECTIONS} until quick and clean (at most ${WARMUP_MAX_SECONDS} s)…`);
    let warmupSeconds = 0;
    for (const connections of WARMUP_RAMP) {
      await autocannon({ ...request, connections, duration: WARMUP_STEP_SECONDS });
      warmupSeconds += WARMUP_STEP_SECONDS;
    }
    while (warmupSeconds < WARMUP_MAX_SECONDS) {
      const step = await autocannon({ ...request, connections: LOAD_CONNECTIONS, duration: WARMUP_STEP_SECONDS });
      warmupSeconds += WARMUP_STEP_SECONDS;
      // A step in which every connection got answers, none failed, and the slowest were quick.
      const clean = step.errors === 0 && step.non2xx === 0 && step['2xx'] >= LOAD_CONNECTIONS * WARMUP_STEP_SECONDS;
      if (clean && step.latency.p99 < WARM_P99_MS) break;
    }
    log(`  autocannon, ${LOAD_CONNECTIONS} connections for ${LOAD_SECONDS} s…`);
    const result = await autocannon({ ...request, connections: LOAD_CONNECTIONS, duration: LOAD_SECONDS });
    measured = {
      connections: LOAD_CONNECTIONS,
      seconds: LOAD_SECONDS,
      warmupSeconds,
      requestsPerSecond: result.requests.average,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      total: result.requests.total,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      statusCounts: { '1xx': result['1xx'], '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
    };
  } finally {
    await stopService(service.service, 10_000);
  }
  return { ...measured, leftoverProcesses: groupAlive(service) };
}

/** A fresh user, signed up and logged in over HTTP like any client. */
async function userToken(service: StartedService): Promise<string> {
  const credentials = { username: `bench-${Date.now().toString(36)}`, password: 'correct horse battery staple' };
  const post = (path: string) =>
    fetch(`${service.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(credentials),
    });
  const registered = await post('/auth/register');
  if (registered.status !== 201) throw new Error(`sign-up answered ${registered.status}`);
  const login = await post('/auth/login');
  if (login.status !== 200) throw new Error(`login answered ${login.status}`);
  return ((await login.json()) as { access_token: string }).access_token;
}

export function groupAlive(service: StartedService): boolean {
  const pgid = service.service.child.pid;
  if (pgid === undefined) return false;
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}
