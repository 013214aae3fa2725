import { test } from '@fast-check/jest';
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { AccessTokenService } from '../../lib/auth/access-tokens';
import { AuthorizerService, type TokenStateCheck } from '../../lib/auth/authorizer-service';
import { signingKeySource } from '../../lib/auth/signing-keys';
import { loadConfig } from '../../lib/config';
import { StorageUnavailableError } from '../../lib/errors';
import { authorizerHandler } from '../../lib/http/authorizer-handler';
import { bearerToken } from '../../lib/http/bearer';
import { logger } from '../../lib/logger';
import { authorizerEvent, lambdaContext } from '../support/events';
import { fc } from '../support/properties';

const config = loadConfig({ TABLE_NAME: 't', JWT_ISSUER: 'https://auth.test', JWT_SECRET: 'a-test-secret-of-at-least-32-bytes-0123456789' });
const tokens = new AccessTokenService(signingKeySource(config), { issuer: config.issuer, audience: config.audience, ttlSeconds: 900 }, () => Date.now());
const live: TokenStateCheck = () => Promise.resolve('live');
const storeDown: TokenStateCheck = () => Promise.reject(new StorageUnavailableError());

/** The handler's answer (a policy, or what it threw) to one Authorization header value, and the reason it logged. */
async function authorize(authorization: string, tokenState: TokenStateCheck = live): Promise<{ outcome: string; reason: unknown }> {
  const handler = authorizerHandler(new AuthorizerService(tokens, tokenState, logger));
  const event = authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: authorization } });
  const captured: string[] = [];
  logger.setLogLevel('INFO');
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    captured.push(String(chunk));
    return true;
  });
  try {
    const outcome = await handler(event, lambdaContext('authorizer')).then(
      (result: APIGatewayAuthorizerResult) => (result.policyDocument.Statement[0] as { Effect: string }).Effect,
      (error: unknown) => (error instanceof Error ? error.message : String(error)),
    );
    const lines = captured.join('').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
    return { outcome, reason: lines.map((line) => line['reason']).join(',') || undefined };
  } finally {
    spy.mockRestore();
    logger.setLogLevel('SILENT');
  }
}

describe('the authorizer handler and the bearer token syntax (RFC 6750 §2.1)', () => {
  let token: string;
  beforeAll(async () => {
    token = (await tokens.issue({ sub: 'account-1', username: 'alice', roles: ['user'], scope: 'profile:read profile:write', sid: 's-1', ver: 0 })).token;
  });

  it('allows a good token', async () => {
    expect(await authorize(`Bearer ${token}`)).toEqual({ outcome: 'Allow', reason: undefined });
  });

  it('refuses as no_bearer_token a credential holding a character outside b64token, even when the store is down', async () => {
    const spoiled = [`${token}"`, `${token} x`, `${token.slice(0, 10)}=${token.slice(10)}`, `${token}\t`, `${token}é`, token.replace('.', '!')];
    for (const credential of spoiled) {
      for (const state of [live, storeDown]) {
        expect({ credential, ...(await authorize(`Bearer ${credential}`, state)) }).toEqual({ credential, outcome: 'Unauthorized', reason: 'no_bearer_token' });
      }
    }
  });

  it('refuses a b64token that is no compact JWS as malformed', async () => {
    for (const credential of ['abc', `${token.slice(0, 20)}~${token.slice(20)}`, `${token}=`, token.replace(/\./g, '/')]) {
      expect({ credential, ...(await authorize(`Bearer ${credential}`)) }).toEqual({ credential, outcome: 'Unauthorized', reason: 'malformed' });
    }
  });

  const b64tokenExtras = '~+/.=';
  const others = ' "\t!é:,;%\u00a0';
  test.prop([fc.nat(), fc.constantFrom(...`${b64tokenExtras}${others}aZ9-_`), fc.boolean()])(
    'refuses a good token with one character put in, as no_bearer_token exactly when bearerToken refuses it',
    async (index, char, storeIsDown) => {
      const at = index % (token.length + 1);
      const authorization = `Bearer ${token.slice(0, at)}${char}${token.slice(at)}`;
      const wellFormed = bearerToken(authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: authorization } })) !== undefined;

      const { outcome, reason } = await authorize(authorization, storeIsDown ? storeDown : live);

      expect(outcome).toBe('Unauthorized');
      expect(reason === 'no_bearer_token').toBe(!wellFormed);
    },
  );
});
