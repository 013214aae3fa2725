/**
 * The real handlers under RS256 and ES256: our login's token verifies, with jose, against the
 * JWKS our endpoint serves, and our authorizer accepts it. Config is read once per module
 * registry, so each algorithm gets its own registry (jest.isolateModulesAsync) with its settings
 * in the environment only while the handlers load.
 */
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import { AccessTokenService } from '../../lib/auth/access-tokens';
import type { SigningAlgorithm } from '../../lib/auth/key-material';
import { signingKeySource } from '../../lib/auth/signing-keys';
import { loadConfig } from '../../lib/config';
import { authorizerEvent, bodyOf, httpEvent, lambdaContext, uniqueUsername } from '../support/events';
import { handSign, newKey, PRIVATE_JWK_MEMBERS, publicJwkOf, type TestKey } from '../support/signing';

const PASSWORD = 'correct horse battery';
const ISSUER = 'https://auth.test/dev';

interface Handlers {
  jwks: typeof import('../../handlers/jwks').handler;
  metadata: typeof import('../../handlers/oauth-metadata').handler;
  register: typeof import('../../handlers/register').handler;
  login: typeof import('../../handlers/login').handler;
  authorizer: typeof import('../../handlers/authorizer').handler;
}

/** Loads the real handlers in a fresh module registry, with `env` set while they load (and read config). */
async function handlersWith(env: Record<string, string>): Promise<Handlers> {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    let handlers: Handlers | undefined;
    await jest.isolateModulesAsync(async () => {
      handlers = {
        jwks: (await import('../../handlers/jwks')).handler,
        metadata: (await import('../../handlers/oauth-metadata')).handler,
        register: (await import('../../handlers/register')).handler,
        login: (await import('../../handlers/login')).handler,
        authorizer: (await import('../../handlers/authorizer')).handler,
      };
    });
    if (handlers === undefined) throw new Error('handlers did not load');
    return handlers;
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

describe.each<SigningAlgorithm>(['RS256', 'ES256'])('under %s', (algorithm) => {
  const current = newKey(algorithm);
  const previous = newKey(algorithm);
  const previousKid = `previous-${algorithm.toLowerCase()}`;
  let handlers: Handlers;

  beforeAll(async () => {
    handlers = await handlersWith({
      JWT_ALG: algorithm,
      JWT_PRIVATE_KEY: current.material,
      JWT_PREVIOUS_PUBLIC_KEYS: JSON.stringify({ keys: [publicJwkOf(previous, previousKid)] }),
    });
  });

  const jwksResponse = () => handlers.jwks(httpEvent({ method: 'GET', resource: '/.well-known/jwks.json' }), lambdaContext());

  async function loginToken(): Promise<{ id: string; token: string }> {
    const username = uniqueUsername();
    const registered = await handlers.register(httpEvent({ method: 'POST', resource: '/auth/register', json: { username, password: PASSWORD } }), lambdaContext());
    expect(registered.statusCode).toBe(201);
    const loggedIn = await handlers.login(httpEvent({ method: 'POST', resource: '/auth/login', json: { username, password: PASSWORD } }), lambdaContext());
    expect(loggedIn.statusCode).toBe(200);
    return { id: bodyOf<{ id: string }>(registered).id, token: bodyOf<{ access_token: string }>(loggedIn).access_token };
  }

  const authorize = (token: string) =>
    handlers.authorizer(authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${token}` } }), lambdaContext('authorizer'));

  it('publishes the current and the previous public key, each with kid, alg and use, cacheable', async () => {
    const response = await jwksResponse();

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['Content-Type']).toMatch(/^application\/json/);
    expect(response.headers?.['Cache-Control']).toMatch(/^public, max-age=\d+$/);
    const { keys } = bodyOf<{ keys: Record<string, unknown>[] }>(response);
    expect(keys).toHaveLength(2);
    expect(keys[1]).toEqual(publicJwkOf(previous, previousKid));
    const kty = algorithm === 'RS256' ? 'RSA' : 'EC';
    for (const jwk of keys) expect(jwk).toMatchObject({ kty, kid: expect.any(String), alg: algorithm, use: 'sig' });
  });

  it('never publishes a private member', async () => {
    const body = (await jwksResponse()).body;

    for (const jwk of bodyOf<{ keys: Record<string, unknown>[] }>(await jwksResponse()).keys) {
      for (const member of PRIVATE_JWK_MEMBERS) expect(jwk).not.toHaveProperty(member);
    }
    expect(body).not.toContain(current.material.split('\n')[1]);
  });

  it('issues at login a token that jose verifies against our JWKS, and that our authorizer accepts', async () => {
    const { id, token } = await loginToken();
    const jwks = bodyOf<JSONWebKeySet>(await jwksResponse());

    const { payload, protectedHeader } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: ISSUER,
      audience: 'serverless-auth',
      typ: 'at+jwt',
      algorithms: [algorithm],
    });

    expect(protectedHeader).toEqual({ alg: algorithm, typ: 'at+jwt', kid: jwks.keys[0]?.kid });
    expect(payload).toMatchObject({ sub: id, roles: ['user'] });
    expect((await authorize(token)).principalId).toBe(id);
  });

  it('accepts a token signed by the previous key, and refuses algorithm confusion and unknown keys', async () => {
    const { id, token: liveToken } = await loginToken();
    // The old key signs for a live session of the account, so only the key differs.
    const { sid } = JSON.parse(Buffer.from(liveToken.split('.')[1] ?? '', 'base64url').toString()) as { sid: string };
    const config = loadConfig({ ...process.env, JWT_ALG: algorithm, JWT_PRIVATE_KEY: previous.material, JWT_KEY_ID: previousKid });
    const previousSigner = new AccessTokenService(signingKeySource(config), { issuer: ISSUER, audience: 'serverless-auth', ttlSeconds: 900 }, () => Date.now());
    const oldToken = (await previousSigner.issue({ sub: id, username: 'someone', roles: ['user'], scope: 'profile:read profile:write', sid, ver: 0 })).token;

    expect((await authorize(oldToken)).principalId).toBe(id);

    const payload = oldToken.split('.')[1];
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Record<string, unknown>;
    const currentJwk = bodyOf<{ keys: { kid: string }[] }>(await jwksResponse()).keys[0];
    const spki = (current.publicKey as NonNullable<TestKey['publicKey']>).export({ type: 'spki', format: 'pem' }).toString();
    const confused = handSign({ alg: 'HS256', typ: 'at+jwt', kid: currentJwk?.kid }, claims, spki, 'HS256');
    await expect(authorize(confused)).rejects.toEqual(new Error('Unauthorized'));
    const stranger = newKey(algorithm);
    const unknownKid = handSign({ alg: algorithm, typ: 'at+jwt', kid: 'not-ours' }, claims, stranger.signer, algorithm);
    await expect(authorize(unknownKid)).rejects.toEqual(new Error('Unauthorized'));
  });

  it('points the RFC 8414 metadata at the JWKS', async () => {
    const response = await handlers.metadata(httpEvent({ method: 'GET', resource: '/.well-known/oauth-authorization-server' }), lambdaContext());

    expect(bodyOf(response)).toMatchObject({ issuer: ISSUER, jwks_uri: `${ISSUER}/.well-known/jwks.json` });
  });
});
