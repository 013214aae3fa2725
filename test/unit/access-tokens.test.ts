import { createHash, KeyObject } from 'node:crypto';
import { test } from '@fast-check/jest';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import jwt from 'jsonwebtoken';
import { z } from 'zod';
import { AccessTokenService, verifiedClaims } from '../../lib/auth/access-tokens';
import type { SigningAlgorithm } from '../../lib/auth/key-material';
import { signingKeySource, type SigningKeySource } from '../../lib/auth/signing-keys';
import { ConfigError, loadConfig } from '../../lib/config';
import { InvalidTokenError } from '../../lib/errors';
import { fc } from '../support/properties';
import { handSign, newKey, PRIVATE_JWK_MEMBERS, publicJwkOf, type TestKey } from '../support/signing';

const NOW = Date.UTC(2026, 10, 22, 12, 0, 0);
const NOW_S = NOW / 1000;
const settings = { issuer: 'https://auth.test/dev', audience: 'serverless-auth', ttlSeconds: 900 };
const subject = {
  sub: 'account-1',
  username: 'alice',
  roles: ['user'],
  scope: 'profile:read profile:write',
  sid: 'session-1',
  ver: 3,
};

function keysFor(key: TestKey, env: Record<string, string> = {}): SigningKeySource {
  const variable = key.algorithm === 'HS256' ? 'JWT_SECRET' : 'JWT_PRIVATE_KEY';
  return signingKeySource(loadConfig({ TABLE_NAME: 't', JWT_ISSUER: settings.issuer, JWT_ALG: key.algorithm, [variable]: key.material, ...env }));
}

const serviceWith = (keys: SigningKeySource, ms = NOW) => new AccessTokenService(keys, settings, () => ms);

async function reason(service: AccessTokenService, token: string): Promise<string> {
  try {
    await service.verify(token);
    return 'accepted';
  } catch (error) {
    return error instanceof InvalidTokenError ? error.reason : `unexpected ${String(error)}`;
  }
}

const goodClaims = (): Record<string, unknown> => ({
  iss: settings.issuer,
  aud: settings.audience,
  sub: 'account-1',
  jti: 'jti-1',
  iat: NOW_S,
  exp: NOW_S + 900,
  username: 'alice',
  roles: ['user'],
  scope: 'profile:read',
  sid: 'session-1',
  ver: 0,
});

const decodeHeader = (token: string) => jwt.decode(token, { complete: true })?.header as unknown as Record<string, unknown>;

describe.each<SigningAlgorithm>(['HS256', 'RS256', 'ES256'])('AccessTokenService under %s', (algorithm) => {
  const key = newKey(algorithm);
  const keys = keysFor(key);
  const tokens = serviceWith(keys);
  let kid: string;
  /** Signs as the service's own key does, with any header and payload. */
  const signed = (header: Record<string, unknown>, payload: unknown) => handSign(header, payload, key.signer, algorithm);
  const header = (extra: Record<string, unknown> = {}) => ({ alg: algorithm, typ: 'at+jwt', kid, ...extra });

  beforeAll(async () => {
    kid = (await keys()).current.kid;
  });

  it('issues an RFC 9068 token naming its key by kid, with the claims API.md lists, and verifies it', async () => {
    const issued = await tokens.issue(subject);

    const decoded = jwt.decode(issued.token, { complete: true });
    expect(decoded?.header).toEqual({ alg: algorithm, typ: 'at+jwt', kid });
    expect(decoded?.payload).toEqual({
      iss: settings.issuer,
      aud: settings.audience,
      sub: 'account-1',
      iat: NOW_S,
      exp: NOW_S + 900,
      jti: issued.jti,
      username: 'alice',
      roles: ['user'],
      scope: 'profile:read profile:write',
      sid: 'session-1',
      ver: 3,
    });
    await expect(tokens.verify(issued.token)).resolves.toMatchObject({ ...subject, jti: issued.jti });
  });

  it('accepts the control token the refusals below are built from', async () => {
    expect(await reason(tokens, signed(header(), goodClaims()))).toBe('accepted');
  });

  it('builds its KeyObjects once: every call hands out the same objects', async () => {
    const [a, b] = [await keys(), await keys()];
    expect(a.current.key).toBeInstanceOf(KeyObject);
    expect(a.current.key).toBe(b.current.key);
    expect(a.verificationKey(kid)).toBeInstanceOf(KeyObject);
    expect(a.verificationKey(kid)).toBe(b.verificationKey(kid));
  });

  it('refuses a token once it expires (past the 30 s skew), and accepts it just before', async () => {
    const issued = await tokens.issue(subject);
    expect(await reason(serviceWith(keys, NOW + 900_000 + 29_000), issued.token)).toBe('accepted');
    expect(await reason(serviceWith(keys, NOW + 900_000 + 31_000), issued.token)).toBe('expired');
  });

  it('refuses a changed payload, and a token signed by another key under our kid', async () => {
    const issued = await tokens.issue(subject);
    const [encodedHeader, , signature] = issued.token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...goodClaims(), roles: ['admin'] })).toString('base64url');
    expect(await reason(tokens, `${encodedHeader}.${forgedPayload}.${signature}`)).toBe('signature');
    const stranger = newKey(algorithm);
    expect(await reason(tokens, handSign(header(), goodClaims(), stranger.signer, algorithm))).toBe('signature');
  });

  it('refuses alg none, with or without a kid, and in any case', async () => {
    for (const alg of ['none', 'None', 'NONE']) {
      expect(await reason(tokens, `${Buffer.from(JSON.stringify(header({ alg }))).toString('base64url')}.${Buffer.from(JSON.stringify(goodClaims())).toString('base64url')}.`)).not.toBe('accepted');
      expect(await reason(tokens, `${signed(header({ alg }), goodClaims()).split('.').slice(0, 2).join('.')}.AAAA`)).toBe('header');
    }
    const unsignedNoKid = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'at+jwt' })).toString('base64url')}.${Buffer.from(JSON.stringify(goodClaims())).toString('base64url')}.`;
    expect(await reason(tokens, unsignedNoKid)).not.toBe('accepted');
  });

  it('refuses any algorithm but the configured one, even correctly signed for it', async () => {
    const other: SigningAlgorithm = algorithm === 'ES256' ? 'RS256' : 'ES256';
    const foreign = newKey(other);
    expect(await reason(tokens, handSign(header({ alg: other }), goodClaims(), foreign.signer, other))).toBe('header');
    expect(await reason(tokens, signed(header({ alg: 'HS512' }), goodClaims()))).toBe('header');
  });

  it('refuses a token without a kid, with a kid it does not hold, or with a kid that is not a string', async () => {
    expect(await reason(tokens, signed({ alg: algorithm, typ: 'at+jwt' }, goodClaims()))).toBe('header');
    expect(await reason(tokens, signed(header({ kid: 'some-other-key' }), goodClaims()))).toBe('unknown_key');
    expect(await reason(tokens, signed(header({ kid: '' }), goodClaims()))).toBe('header');
    expect(await reason(tokens, signed(header({ kid: 7 }), goodClaims()))).toBe('header');
    expect(await reason(tokens, signed(header({ kid: '__proto__' }), goodClaims()))).toBe('unknown_key');
  });

  it.each([
    ['no typ', { typ: undefined }],
    ['typ JWT', { typ: 'JWT' }],
    ['a jku', { jku: 'https://evil.example/jwks.json' }],
    ['a jwk', { jwk: { kty: 'oct', k: 'AA' } }],
    ['an x5u', { x5u: 'https://evil.example/cert.pem' }],
    ['an x5c', { x5c: ['AA'] }],
    ['a crit', { crit: ['exp'] }],
  ])('refuses a correctly signed token whose header has %s', async (_name, extra) => {
    const withExtra = Object.fromEntries(Object.entries(header(extra)).filter(([, value]) => value !== undefined));
    expect(await reason(tokens, signed(withExtra, goodClaims()))).toBe('header');
  });

  it('accepts the application/at+jwt spelling of typ', async () => {
    expect(await reason(tokens, signed(header({ typ: 'application/at+jwt' }), goodClaims()))).toBe('accepted');
  });

  it('checks the header of every token, however many good headers it has remembered (by their bytes)', async () => {
    const seen = Array.from({ length: 40 }, (_, i) => signed(header({ x: i }), goodClaims()));
    for (const token of seen) expect(await reason(tokens, token)).toBe('accepted');
    for (let i = 0; i < 2; i++) {
      expect(await reason(tokens, signed(header({ jku: 'https://evil.example/jwks.json' }), goodClaims()))).toBe('header');
      expect(await reason(tokens, signed(header({ typ: 'JWT' }), goodClaims()))).toBe('header');
      // The key is looked up for every token, also under a header seen before.
      expect(await reason(tokens, signed(header({ kid: 'some-other-key' }), goodClaims()))).toBe('unknown_key');
    }
    expect(await reason(tokens, seen[0] ?? '')).toBe('accepted');
    expect(await reason(tokens, seen[39] ?? '')).toBe('accepted');
  });

  it.each(['iss', 'aud', 'exp', 'iat', 'sub', 'jti', 'username', 'roles', 'scope', 'sid', 'ver'])('refuses a correctly signed token without %s', async (claim) => {
    const claims = goodClaims();
    delete claims[claim];
    expect(await reason(tokens, signed(header(), claims))).not.toBe('accepted');
  });

  it('refuses a foreign issuer or audience, and takes an audience array that includes ours', async () => {
    expect(await reason(tokens, signed(header(), { ...goodClaims(), iss: 'https://evil.example' }))).not.toBe('accepted');
    expect(await reason(tokens, signed(header(), { ...goodClaims(), aud: 'another-service' }))).not.toBe('accepted');
    expect(await reason(tokens, signed(header(), { ...goodClaims(), aud: ['another-service'] }))).not.toBe('accepted');
    expect(await reason(tokens, signed(header(), { ...goodClaims(), aud: ['another-service', settings.audience] }))).toBe('accepted');
  });

  it('refuses an iat in the future beyond the 30 s skew, and accepts one within it', async () => {
    expect(await reason(tokens, signed(header(), { ...goodClaims(), iat: NOW_S + 31 }))).toBe('claims');
    expect(await reason(tokens, signed(header(), { ...goodClaims(), iat: NOW_S + 29 }))).toBe('accepted');
  });

  it('honours nbf: refused before it (beyond the skew), accepted within the skew and after', async () => {
    expect(await reason(tokens, signed(header(), { ...goodClaims(), nbf: NOW_S + 31 }))).toBe('claims');
    expect(await reason(tokens, signed(header(), { ...goodClaims(), nbf: NOW_S + 29 }))).toBe('accepted');
    expect(await reason(tokens, signed(header(), { ...goodClaims(), nbf: NOW_S - 60 }))).toBe('accepted');
    expect(await reason(tokens, signed(header(), { ...goodClaims(), nbf: 'tomorrow' }))).not.toBe('accepted');
  });

  it.each([
    ['a JSON string', 'hello'],
    ['a JSON array', [goodClaims()]],
    ['JSON null', null],
    ['a JSON number', 42],
    ['bytes that are not JSON', 'raw:hello'],
  ])('refuses a correctly signed payload that is %s, not a JSON object', async (_name, payload) => {
    expect(await reason(tokens, signed(header(), payload))).toBe('claims');
  });

  it('refuses a token over 8 KB (bytes, not characters) before parsing it, even when correctly signed', async () => {
    const big = signed(header(), { ...goodClaims(), padding: 'x'.repeat(8 * 1024) });
    expect(await reason(tokens, big)).toBe('too_large');
    // 4,100 characters, 8,200 bytes: measured in characters it would slip under the cap.
    expect(await reason(tokens, 'é'.repeat(4_100))).toBe('too_large');
    const justUnder = signed(header(), { ...goodClaims(), padding: '' });
    const fill = Math.floor(((8 * 1024 - justUnder.length) * 3) / 4) - 8; // base64url: 4 characters per 3 bytes
    expect(signed(header(), { ...goodClaims(), padding: 'x'.repeat(fill) }).length).toBeGreaterThan(8 * 1024 - 16);
    expect(await reason(tokens, signed(header(), { ...goodClaims(), padding: 'x'.repeat(fill) }))).toBe('accepted');
  });

  it('refuses malformed tokens', async () => {
    for (const token of ['not-a-jwt', 'a.b', '!!.??.##', 'a.b.c.d', '..', `${signed(header(), goodClaims())}=`]) {
      expect(await reason(tokens, token)).toBe('malformed');
    }
  });

  it('refuses as malformed a malformed token under a header it has seen, good or refused', async () => {
    // Prepare: a fresh service with its keys at hand, that has seen each header (good, wrong alg, unknown kid).
    const fresh = serviceWith(keys);
    const good = signed(header(), goodClaims());
    const wrongAlg = signed(header({ alg: 'HS512' }), goodClaims());
    const unknownKid = signed(header({ kid: 'some-other-key' }), goodClaims());
    expect([await reason(fresh, good), await reason(fresh, wrongAlg), await reason(fresh, unknownKid)]).toEqual(['accepted', 'header', 'unknown_key']);

    for (const seen of [good, wrongAlg, unknownKid]) {
      const [encodedHeader = '', payload = '', signature = ''] = seen.split('.');
      const malformed = [
        `${encodedHeader}.${payload}`,
        `${encodedHeader}.${payload}.`,
        `${encodedHeader}..${signature}`,
        `${encodedHeader}.${payload}.${signature}=`,
        `${encodedHeader}.${payload}.${signature}.${signature}`,
        `${encodedHeader}.!${payload}.${signature}`,
        `${encodedHeader}.${payload}.${signature.slice(0, 5)}~${signature.slice(5)}`,
        `${encodedHeader}X`,
      ];
      // Act, Assess
      for (const token of malformed) expect({ token, reason: await reason(fresh, token) }).toEqual({ token, reason: 'malformed' });
    }
    expect(await reason(fresh, good)).toBe('accepted');
  });
});

describe('independent verification with jose', () => {
  it.each<SigningAlgorithm>(['RS256', 'ES256'])('a %s token verifies with jose against the JWKS the service publishes', async (algorithm) => {
    const keys = keysFor(newKey(algorithm));
    const issued = await serviceWith(keys, Date.now()).issue(subject);

    const jwks = (await keys()).jwks as unknown as JSONWebKeySet;
    const { payload, protectedHeader } = await jwtVerify(issued.token, createLocalJWKSet(jwks), {
      issuer: settings.issuer,
      audience: settings.audience,
      typ: 'at+jwt',
      algorithms: [algorithm],
    });

    expect(protectedHeader.kid).toBe((await keys()).current.kid);
    expect(payload).toMatchObject({ sub: subject.sub, jti: issued.jti });
  });
});

describe('algorithm confusion', () => {
  it.each<SigningAlgorithm>(['RS256', 'ES256'])('under %s, an HS256 token keyed with our public key (PEM, DER or JWK) is refused', async (algorithm) => {
    const key = newKey(algorithm);
    const keys = keysFor(key);
    const tokens = serviceWith(keys);
    const { kid, verification } = (await keys()).current;
    const publicKey = verification.key;
    const secrets = [
      publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      publicKey.export({ type: 'spki', format: 'der' }),
      JSON.stringify((await keys()).jwks.keys[0]),
    ];
    for (const secret of secrets) {
      const confused = handSign({ alg: 'HS256', typ: 'at+jwt', kid }, goodClaims(), secret, 'HS256');
      expect(await reason(tokens, confused)).toBe('header');
      // Even with the header claiming the right alg, an HMAC is not a signature by our key.
      const relabelled = handSign({ alg: algorithm, typ: 'at+jwt', kid }, goodClaims(), secret, 'HS256');
      expect(await reason(tokens, relabelled)).toBe('signature');
    }
  });

  it('under HS256, a token signed with an RSA or EC key under our kid is refused', async () => {
    const keys = keysFor(newKey('HS256'));
    const tokens = serviceWith(keys);
    const { kid } = (await keys()).current;
    for (const algorithm of ['RS256', 'ES256'] as const) {
      const foreign = newKey(algorithm);
      expect(await reason(tokens, handSign({ alg: algorithm, typ: 'at+jwt', kid }, goodClaims(), foreign.signer, algorithm))).toBe('header');
    }
  });
});

describe('key ids', () => {
  it('under HS256, derives a kid that neither holds nor hashes the bare secret, and publishes no key', async () => {
    const key = newKey('HS256');
    const keys = keysFor(key);
    const { kid } = (await keys()).current;

    expect(kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(kid).not.toContain(key.material);
    for (const encoding of ['hex', 'base64', 'base64url'] as const) {
      expect(kid).not.toBe(createHash('sha256').update(key.material).digest(encoding));
    }
    expect((await keys()).jwks).toEqual({ keys: [] });
    const issued = await serviceWith(keys).issue(subject);
    expect(decodeHeader(issued.token)['kid']).toBe(kid);
  });

  it('uses JWT_KEY_ID when given, for any algorithm', async () => {
    for (const algorithm of ['HS256', 'ES256'] as const) {
      const keys = keysFor(newKey(algorithm), { JWT_KEY_ID: 'key-2026-11' });
      const issued = await serviceWith(keys).issue(subject);
      expect(decodeHeader(issued.token)['kid']).toBe('key-2026-11');
      await expect(serviceWith(keys).verify(issued.token)).resolves.toMatchObject({ sub: subject.sub });
    }
  });

  it('gives an asymmetric key its RFC 7638 thumbprint as kid when none is configured', async () => {
    const key = newKey('ES256');
    const { kid } = (await keysFor(key)()).current;
    const { crv, kty, x, y } = (key.publicKey as KeyObject).export({ format: 'jwk' });
    expect(kid).toBe(createHash('sha256').update(JSON.stringify({ crv, kty, x, y })).digest('base64url'));
  });
});

describe.each<SigningAlgorithm>(['RS256', 'ES256'])('rotation under %s', (algorithm) => {
  const oldKey = newKey(algorithm);
  const newerKey = newKey(algorithm);
  const before = keysFor(oldKey);
  let oldKid: string;
  let previous: string;
  let oldToken: string;

  beforeAll(async () => {
    oldKid = (await before()).current.kid;
    previous = JSON.stringify({ keys: [publicJwkOf(oldKey, oldKid)] });
    oldToken = (await serviceWith(before).issue(subject)).token;
  });

  it('signs with the new key, still verifies tokens of the previous one, and publishes exactly both', async () => {
    const during = keysFor(newerKey, { JWT_PREVIOUS_PUBLIC_KEYS: previous });
    const tokens = serviceWith(during);
    const newToken = (await tokens.issue(subject)).token;
    const newKid = (await during()).current.kid;

    expect(decodeHeader(newToken)['kid']).toBe(newKid);
    expect(newKid).not.toBe(oldKid);
    expect(await reason(tokens, oldToken)).toBe('accepted');
    expect(await reason(tokens, newToken)).toBe('accepted');
    const { keys: published } = (await during()).jwks;
    expect(published.map((jwk) => jwk.kid)).toEqual([newKid, oldKid]);
    for (const jwk of published) {
      expect(jwk).toMatchObject({ alg: algorithm, use: 'sig', kty: algorithm === 'RS256' ? 'RSA' : 'EC' });
      for (const member of PRIVATE_JWK_MEMBERS) expect(jwk).not.toHaveProperty(member);
    }
    const jwks = createLocalJWKSet((await during()).jwks as unknown as JSONWebKeySet);
    const options = { issuer: settings.issuer, audience: settings.audience, currentDate: new Date(NOW) };
    await expect(jwtVerify(oldToken, jwks, options)).resolves.toBeDefined();
    await expect(jwtVerify(newToken, jwks, options)).resolves.toBeDefined();
  });

  it('refuses tokens of the previous key once it is removed from the configuration', async () => {
    const after = keysFor(newerKey);
    expect(await reason(serviceWith(after), oldToken)).toBe('unknown_key');
    expect((await after()).jwks.keys.map((jwk) => jwk.kid)).toEqual([(await after()).current.kid]);
    const jwks = createLocalJWKSet((await after()).jwks as unknown as JSONWebKeySet);
    await expect(jwtVerify(oldToken, jwks, { currentDate: new Date(NOW) })).rejects.toThrow();
  });

  it('lets the next key be published ahead: the current key listed among the previous ones is kept once', async () => {
    const ahead = keysFor(oldKey, { JWT_PREVIOUS_PUBLIC_KEYS: previous });
    expect((await ahead()).jwks.keys.map((jwk) => jwk.kid)).toEqual([oldKid]);
    expect(await reason(serviceWith(ahead), oldToken)).toBe('accepted');
  });

  it('refuses, at INIT, a previous key that reuses the current kid for another key', () => {
    const clash = JSON.stringify({ keys: [publicJwkOf(newerKey, oldKid)] });
    expect(() => keysFor(oldKey, { JWT_PREVIOUS_PUBLIC_KEYS: clash })).toThrow(ConfigError);
    expect(() => keysFor(oldKey, { JWT_PREVIOUS_PUBLIC_KEYS: clash })).toThrow(/JWT_PREVIOUS_PUBLIC_KEYS/);
  });
});

describe('verifiedClaims', () => {
  /** The zod schema verifiedClaims was written out from: the reference it must agree with. */
  const ReferenceClaims = z.looseObject({
    iss: z.string(),
    aud: z.union([z.string(), z.array(z.string())]),
    sub: z.string().min(1),
    jti: z.string().min(1),
    iat: z.number().int(),
    exp: z.number().int(),
    nbf: z.number().optional(),
    username: z.string().min(1),
    roles: z.array(z.string()),
    scope: z.string(),
    sid: z.string().min(1),
    ver: z.number().int().min(0),
  });
  const CLAIMS = ['iss', 'aud', 'sub', 'jti', 'iat', 'exp', 'nbf', 'username', 'roles', 'scope', 'sid', 'ver', 'extra'] as const;
  const EDGE_VALUES: unknown[] = ['', 'x', 0, -0, -1, 1.5, 2 ** 53 - 1, 2 ** 53, -(2 ** 53), 1e300, null, true, [], ['x'], ['x', 1], {}, { x: 1 }];
  const edgeValues = fc.constantFrom(...EDGE_VALUES);

  it('agrees with the schema on every claim removed, or set to each edge value', () => {
    for (const claim of CLAIMS) {
      for (const value of [undefined, ...EDGE_VALUES]) {
        const payload: Record<string, unknown> = { ...goodClaims(), [claim]: value };
        if (value === undefined) delete payload[claim];
        const expected = ReferenceClaims.safeParse(payload).success;
        expect({ claim, value, accepted: verifiedClaims(payload) !== undefined }).toEqual({ claim, value, accepted: expected });
      }
    }
  });
  const claimValue = fc.oneof({ arbitrary: edgeValues, weight: 3 }, { arbitrary: fc.jsonValue(), weight: 1 });

  // One or two claims changed or one removed at a time, so that most payloads are wrong in one place at most.
  test.prop([fc.dictionary(fc.constantFrom(...CLAIMS), claimValue, { maxKeys: 2 }), fc.subarray([...CLAIMS], { maxLength: 1 })])(
    'accepts exactly the payloads the zod schema accepts, and hands on the same claims',
    (changed, removed) => {
      const payload: Record<string, unknown> = { ...goodClaims(), ...changed };
      for (const claim of removed) delete payload[claim];

      const reference = ReferenceClaims.safeParse(payload);
      const claims = verifiedClaims(payload);

      expect(claims !== undefined).toBe(reference.success);
      if (reference.success) {
        const { sub, username, roles, scope, sid, ver, jti, iat, exp } = reference.data;
        expect(claims).toStrictEqual({ sub, username, roles, scope, sid, ver, jti, iat, exp });
      }
    },
  );

  test.prop([fc.oneof(fc.jsonValue(), edgeValues)])('refuses what the zod schema refuses, whatever the payload', (payload) => {
    expect(verifiedClaims(payload) !== undefined).toBe(ReferenceClaims.safeParse(payload).success);
  });

  it('refuses each claim made wrong in the ways the schema names', () => {
    const wrong: Record<string, unknown[]> = {
      iss: [7, null],
      aud: [7, [7], null],
      sub: ['', 7],
      jti: ['', 7],
      iat: [1.5, '1', 2 ** 53],
      exp: [1.5, '1', 2 ** 53],
      nbf: ['tomorrow', null],
      username: ['', 7],
      roles: ['user', [7]],
      scope: [7, ['profile:read']],
      sid: ['', 7],
      ver: [-1, 0.5, '0'],
    };
    for (const [claim, values] of Object.entries(wrong)) {
      for (const value of values) {
        const payload = { ...goodClaims(), [claim]: value };
        expect({ claim, value, accepted: verifiedClaims(payload) !== undefined }).toEqual({ claim, value, accepted: ReferenceClaims.safeParse(payload).success });
        expect({ claim, value, accepted: verifiedClaims(payload) !== undefined }).toEqual({ claim, value, accepted: false });
      }
    }
    expect(verifiedClaims(goodClaims())).toBeDefined();
  });
});
