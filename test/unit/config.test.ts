import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { ConfigError, loadAccountConfig, loadConfig } from '../../lib/config';

const base = { TABLE_NAME: 'table', JWT_ISSUER: 'https://auth.test', JWT_SECRET: 'x'.repeat(32) };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(base)).toMatchObject({
      accessTokenTtlSeconds: 900,
      bcryptCost: 12,
      allowSignup: true,
      audience: 'serverless-auth',
      region: 'us-east-1',
      dynamodbEndpoint: undefined,
      refreshTokenTtlSeconds: 2_592_000,
      loginThrottle: { maxAttempts: 5, windowSeconds: 900, lockoutSeconds: 300 },
    });
  });

  it('reads the session and lockout settings, and names a bad one', () => {
    expect(
      loadConfig({ ...base, REFRESH_TOKEN_TTL: '3600', LOGIN_MAX_ATTEMPTS: '10', LOGIN_ATTEMPT_WINDOW: '60', LOGIN_LOCKOUT_SECONDS: '30' }),
    ).toMatchObject({ refreshTokenTtlSeconds: 3600, loginThrottle: { maxAttempts: 10, windowSeconds: 60, lockoutSeconds: 30 } });
    expect(() => loadConfig({ ...base, LOGIN_MAX_ATTEMPTS: '0' })).toThrow(/LOGIN_MAX_ATTEMPTS/);
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => loadConfig({ ...base, JWT_SECRET: 'x'.repeat(31) })).toThrow(new ConfigError('JWT_SECRET must be at least 32 bytes long.'));
  });

  it('needs a secret or an SSM parameter name, and takes the parameter when deployed', () => {
    expect(() => loadConfig({ ...base, JWT_SECRET: undefined })).toThrow(ConfigError);
    expect(loadConfig({ ...base, JWT_SECRET: '', JWT_SECRET_PARAMETER: '/svc/prod/jwt-secret' }).signing.current).toEqual({
      kind: 'ssm',
      parameter: '/svc/prod/jwt-secret',
    });
  });

  it('names every missing or malformed variable', () => {
    const attempt = () => loadConfig({ JWT_SECRET: 'x'.repeat(32), BCRYPT_COST: 'twelve', ALLOW_SIGNUP: 'maybe' });
    for (const name of ['TABLE_NAME', 'JWT_ISSUER', 'BCRYPT_COST', 'ALLOW_SIGNUP']) {
      expect(attempt).toThrow(new RegExp(name));
    }
  });

  it('reads ALLOW_SIGNUP=false and a custom token lifetime', () => {
    expect(loadConfig({ ...base, ALLOW_SIGNUP: 'false', ACCESS_TOKEN_TTL: '300' })).toMatchObject({
      allowSignup: false,
      accessTokenTtlSeconds: 300,
    });
  });
});

describe('loadConfig: signing keys', () => {
  const pem = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const es = { ...base, JWT_SECRET: '', JWT_ALG: 'ES256', JWT_PRIVATE_KEY: pem(ec.privateKey) };
  const ecJwk = (kid: string, extra: Record<string, unknown> = {}) => ({ ...ec.publicKey.export({ format: 'jwk' }), kid, alg: 'ES256', ...extra });
  const previous = (...keys: unknown[]) => JSON.stringify({ keys });
  const otherEcJwk = (kid: string) => ({ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), kid, alg: 'ES256' });

  /** The ConfigError message, which must name the variable and quote no key material. */
  function failure(env: Record<string, string>): string {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      for (const value of Object.values(env).filter((v) => v.includes('BEGIN'))) {
        const body = value.split('\n').find((line) => line.length > 40) ?? '';
        expect(message).not.toContain(body);
      }
      return message;
    }
    throw new Error('loadConfig accepted it');
  }

  it('defaults to HS256 with the secret as the current key and no previous keys', () => {
    expect(loadConfig(base).signing).toMatchObject({ algorithm: 'HS256', keyId: undefined, current: { kind: 'key' }, previous: [] });
  });

  it('takes an RS256 or ES256 private key, directly or as an SSM parameter name', () => {
    expect(loadConfig(es).signing).toMatchObject({ algorithm: 'ES256', current: { kind: 'key' } });
    expect(loadConfig({ ...base, JWT_ALG: 'RS256', JWT_PRIVATE_KEY: pem(rsa.privateKey) }).signing.algorithm).toBe('RS256');
    expect(loadConfig({ ...es, JWT_PRIVATE_KEY: '', JWT_PRIVATE_KEY_PARAMETER: '/svc/prod/jwt-private-key' }).signing.current).toEqual({
      kind: 'ssm',
      parameter: '/svc/prod/jwt-private-key',
    });
  });

  it('takes a PEM written on one line with literal \\n, as a .env file holds it', () => {
    expect(loadConfig({ ...es, JWT_PRIVATE_KEY: pem(ec.privateKey).trim().replace(/\n/g, '\\n') }).signing.current).toMatchObject({ kind: 'key' });
  });

  it.each(['HS512', 'none', 'es256', 'PS256'])('refuses JWT_ALG=%s', (alg) => {
    expect(failure({ ...base, JWT_ALG: alg })).toMatch(/JWT_ALG/);
  });

  it('needs a private key or its parameter under RS256 and ES256, and refuses one under HS256', () => {
    expect(failure({ ...es, JWT_PRIVATE_KEY: '' })).toMatch(/JWT_ALG is ES256: set JWT_PRIVATE_KEY .* or JWT_PRIVATE_KEY_PARAMETER/);
    expect(failure({ ...base, JWT_PRIVATE_KEY: pem(ec.privateKey) })).toMatch(/JWT_PRIVATE_KEY .*JWT_ALG is HS256/);
    expect(failure({ ...base, JWT_PRIVATE_KEY_PARAMETER: '/svc/prod/jwt-private-key' })).toMatch(/JWT_ALG is HS256/);
  });

  it.each([
    ['an EC key for RS256', 'RS256', () => pem(ec.privateKey), /JWT_PRIVATE_KEY is an EC key .*RS256 needs an RSA key/],
    ['an RSA key for ES256', 'ES256', () => pem(rsa.privateKey), /JWT_PRIVATE_KEY is an RSA key, but ES256 needs an EC key/],
    ['RSA of 1024 bits', 'RS256', () => pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey), /JWT_PRIVATE_KEY is an RSA key of 1024 bits; RS256 needs at least 2048/],
    ['EC on P-384', 'ES256', () => pem(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey), /JWT_PRIVATE_KEY is an EC key on secp384r1; ES256 needs P-256/],
    ['an RSA-PSS key for RS256', 'RS256', () => pem(generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey), /JWT_PRIVATE_KEY is an RSA-PSS key/],
    ['an Ed25519 key for ES256', 'ES256', () => pem(generateKeyPairSync('ed25519').privateKey), /JWT_PRIVATE_KEY is an ED25519 key/],
    ['a public key', 'ES256', () => ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(), /JWT_PRIVATE_KEY holds a public key/],
    [
      'an encrypted key',
      'ES256',
      () => ec.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'a passphrase' }).toString(),
      /JWT_PRIVATE_KEY is not a readable PEM private key/,
    ],
    ['a PEM with a broken body', 'ES256', () => pem(ec.privateKey).split('\n').map((line) => (line.startsWith('-----') ? line : line.replace(/[A-Za-z]/g, 'A'))).join('\n'), /JWT_PRIVATE_KEY is not a readable PEM/],
    ['not a PEM at all', 'ES256', () => 'x'.repeat(64), /JWT_PRIVATE_KEY is not a PEM private key/],
  ])('refuses %s, naming JWT_PRIVATE_KEY', (_name, alg, key, message) => {
    expect(failure({ ...base, JWT_ALG: alg, JWT_PRIVATE_KEY: key() })).toMatch(message);
  });

  it('reads JWT_PREVIOUS_PUBLIC_KEYS as a JWK Set of public keys that still verify', () => {
    const settings = loadConfig({ ...es, JWT_PREVIOUS_PUBLIC_KEYS: previous(otherEcJwk('old-1'), otherEcJwk('old-2')) }).signing;
    expect(settings.previous.map((key) => key.kid)).toEqual(['old-1', 'old-2']);
    expect(loadConfig({ ...es, JWT_PREVIOUS_PUBLIC_KEYS: previous() }).signing.previous).toEqual([]);
  });

  it.each([
    ['malformed JSON', () => '{"keys": [', /JWT_PREVIOUS_PUBLIC_KEYS is not valid JSON/],
    ['a bare array', () => JSON.stringify([otherEcJwk('a')]), /JWT_PREVIOUS_PUBLIC_KEYS must be a JWK Set/],
    ['a key without kid', () => previous({ ...otherEcJwk('a'), kid: undefined }), /key #1 needs a kid/],
    ['a key for another alg', () => previous({ ...otherEcJwk('a'), alg: 'RS256' }), /key #1 \(kid "a"\) has alg "RS256", but JWT_ALG is ES256/],
    ['a key without alg', () => previous({ ...otherEcJwk('a'), alg: undefined }), /has alg null, but JWT_ALG is ES256/],
    ['a private key', () => previous({ ...ec.privateKey.export({ format: 'jwk' }), kid: 'a', alg: 'ES256' }), /private or secret member \("d"\)/],
    ['a secret (oct) key', () => previous({ kty: 'oct', k: 'c2VjcmV0', kid: 'a', alg: 'ES256' }), /private or secret member \("k"\)/],
    ['an RSA key under ES256', () => previous({ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'a', alg: 'ES256' }), /an RSA key, but ES256 needs an EC key/],
    ['a key that is not a key', () => previous({ kty: 'EC', crv: 'P-256', x: 'AA', y: 'AA', kid: 'a', alg: 'ES256' }), /not a readable public JWK/],
    ['an encryption key', () => previous(otherEcJwk('a'), { ...otherEcJwk('b'), use: 'enc' }), /key #2 \(kid "b"\) has use "enc"/],
    ['one kid twice', () => previous(otherEcJwk('same'), otherEcJwk('same')), /JWT_PREVIOUS_PUBLIC_KEYS holds the kid "same" twice/],
  ])('refuses JWT_PREVIOUS_PUBLIC_KEYS holding %s', (_name, value, message) => {
    expect(failure({ ...es, JWT_PREVIOUS_PUBLIC_KEYS: value() })).toMatch(message);
  });

  it('refuses previous public keys under HS256: an HMAC secret has none', () => {
    expect(failure({ ...base, JWT_PREVIOUS_PUBLIC_KEYS: previous(otherEcJwk('a')) })).toMatch(/JWT_PREVIOUS_PUBLIC_KEYS must be empty under HS256/);
  });

  it('refuses a JWT_KEY_ID that a previous key already has, whether the key is given or in SSM', () => {
    const clash = { JWT_KEY_ID: 'k1', JWT_PREVIOUS_PUBLIC_KEYS: previous(otherEcJwk('k1')) };
    expect(failure({ ...es, ...clash })).toMatch(/JWT_PREVIOUS_PUBLIC_KEYS holds the kid "k1"/);
    expect(failure({ ...es, JWT_PRIVATE_KEY: '', JWT_PRIVATE_KEY_PARAMETER: '/svc/prod/k', ...clash })).toMatch(/JWT_PREVIOUS_PUBLIC_KEYS holds the kid "k1"/);
    // The same key listed as current and previous is no clash (publishing a key ahead of use).
    expect(loadConfig({ ...es, JWT_KEY_ID: 'k1', JWT_PREVIOUS_PUBLIC_KEYS: previous(ecJwk('k1')) }).signing.previous).toHaveLength(1);
  });

  it.each(['has space', 'x'.repeat(129), 'tab\there', 'ünicode'])('refuses JWT_KEY_ID %j', (kid) => {
    expect(failure({ ...base, JWT_KEY_ID: kid })).toMatch(/JWT_KEY_ID/);
  });
});

describe('loadAccountConfig', () => {
  it('needs only the table settings: no JWT variable (the admin CLI runs without them)', () => {
    expect(loadAccountConfig({ TABLE_NAME: 'table', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', BCRYPT_COST: '4' })).toEqual({
      tableName: 'table',
      region: 'us-east-1',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      bcryptCost: 4,
      allowSignup: true,
    });
  });

  it('still names a missing table or a bad cost', () => {
    const attempt = () => loadAccountConfig({ BCRYPT_COST: '99' });
    for (const name of ['TABLE_NAME', 'BCRYPT_COST']) expect(attempt).toThrow(new RegExp(name));
  });
});
