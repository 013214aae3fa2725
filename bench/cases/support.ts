/**
 * What the in-process cases share: a real account and a real token made through the service's own
 * code, the REQUEST event API Gateway sends the authorizer, and the hand-written verify floors.
 */
import { createHmac, createPublicKey, createSecretKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { accountService } from '../../lib/dependencies/accounts';
import { loginService } from '../../lib/dependencies/login';
import { authorizerEvent, uniqueUsername } from '../../test/support/events';
import { awsRequestsDuring, totalAwsRequests, type RequestCounts } from '../aws-requests';

export const BENCH_PASSWORD = 'correct horse battery staple';

export interface BenchAccount {
  readonly id: string;
  readonly username: string;
  readonly token: string;
}

/** Creates an account and logs it in through the service: the token is what a client holds. */
export async function benchAccount(): Promise<BenchAccount> {
  const username = uniqueUsername('bench');
  const account = await accountService().createAccount({ username, password: BENCH_PASSWORD, roles: ['user'] });
  const { access_token: token } = await loginService().login(username, BENCH_PASSWORD, { userAgent: 'bench/1.0' });
  return { id: account.id, username, token };
}

/** `GET /me` as API Gateway hands it to a REQUEST authorizer, with the headers a browser or SDK sends. */
export function meAuthorizerEvent(token: string): APIGatewayRequestAuthorizerEvent {
  return authorizerEvent({
    method: 'GET',
    path: '/me',
    headers: {
      Accept: 'application/json',
      'Accept-Encoding': 'gzip, deflate, br',
      Authorization: `Bearer ${token}`,
      Host: 'abcdef1234.execute-api.us-east-1.amazonaws.com',
      'User-Agent': 'bench/1.0',
      'X-Amzn-Trace-Id': 'Root=1-67891233-abcdef012345678912345678',
      'X-Forwarded-For': '203.0.113.7',
      'X-Forwarded-Port': '443',
      'X-Forwarded-Proto': 'https',
    },
  });
}

/** Throws unless the authorizer allowed the call: a bench of a refusal would measure the wrong path. */
export function assertAllowed(result: APIGatewayAuthorizerResult): void {
  const statement = result.policyDocument.Statement[0] as { Effect?: string } | undefined;
  if (statement?.Effect !== 'Allow') throw new Error(`the authorizer did not allow the bench request: ${JSON.stringify(result)}`);
}

/** AWS requests per call of `run`, over `calls` calls, by operation and in total. */
export async function awsRequestsPerCall(
  run: () => Promise<unknown>,
  calls: number,
): Promise<{ readonly perCall: number; readonly byOperation: RequestCounts }> {
  const counts = await awsRequestsDuring(async () => {
    for (let i = 0; i < calls; i++) await run();
  });
  const byOperation = Object.fromEntries(Object.entries(counts).map(([operation, n]) => [operation, n / calls]));
  return { perCall: totalAwsRequests(counts) / calls, byOperation };
}

/** The header of a compact JWS, decoded (no verification). */
export function jwsHeader(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/** The payload of a compact JWS, decoded (no verification). */
export function jwsPayload(token: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
}

/**
 * The floor for HS256: HMAC-SHA256 over `header.payload`, a constant-time compare, JSON.parse of
 * the payload. No header or claim checks, so nothing real can be faster.
 */
export function hmacFloor(secret: string): (token: string) => unknown {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return (token) => {
    const firstDot = token.indexOf('.');
    const lastDot = token.lastIndexOf('.');
    const expected = createHmac('sha256', key).update(token.slice(0, lastDot)).digest();
    const given = Buffer.from(token.slice(lastDot + 1), 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw new Error('bad signature');
    return JSON.parse(Buffer.from(token.slice(firstDot + 1, lastDot), 'base64url').toString('utf8'));
  };
}

/** The same floor for RS256 / ES256: one crypto.verify with the public key, then JSON.parse. */
export function signatureFloor(alg: 'RS256' | 'ES256', privateKeyPem: string): (token: string) => unknown {
  const publicKey: KeyObject = createPublicKey(privateKeyPem);
  const key = alg === 'ES256' ? { key: publicKey, dsaEncoding: 'ieee-p1363' as const } : publicKey;
  return (token) => {
    const firstDot = token.indexOf('.');
    const lastDot = token.lastIndexOf('.');
    const ok = verify('sha256', Buffer.from(token.slice(0, lastDot)), key, Buffer.from(token.slice(lastDot + 1), 'base64url'));
    if (!ok) throw new Error('bad signature');
    return JSON.parse(Buffer.from(token.slice(firstDot + 1, lastDot), 'base64url').toString('utf8'));
  };
}

export function requiredEnv(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set: run the cases through npm run bench.`);
  return value;
}
