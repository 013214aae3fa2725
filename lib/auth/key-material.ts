import { createHash, createPrivateKey, createPublicKey, createSecretKey, type JsonWebKey, type KeyObject } from 'node:crypto';

/** The JWS algorithms the service signs with; one of them is configured (JWT_ALG). */
export const SIGNING_ALGORITHMS = ['HS256', 'RS256', 'ES256'] as const;
export type SigningAlgorithm = (typeof SIGNING_ALGORITHMS)[number];

/** A checked value, or a sentence saying what is wrong. Problems never quote key material. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly problem: string };

/** A public key as the JWKS publishes it (RFC 7517): key members plus kid, alg and use. */
export interface PublicJwk extends JsonWebKey {
  readonly kty: string;
  readonly kid: string;
  readonly alg: SigningAlgorithm;
  readonly use: 'sig';
}

export interface JsonWebKeySet {
  readonly keys: readonly PublicJwk[];
}

/** A key that verifies tokens carrying its kid. `jwk` is its public form; HS256 keys have none. */
export interface VerificationKey {
  readonly kid: string;
  readonly key: KeyObject;
  readonly jwk: PublicJwk | undefined;
}

/** The key new tokens are signed with, and what verifies them. */
export interface SigningKey {
  readonly kid: string;
  readonly key: KeyObject;
  readonly verification: VerificationKey;
}

/** Everything tokens are signed and verified with, built once per container. */
export interface SigningKeys {
  readonly algorithm: SigningAlgorithm;
  readonly current: SigningKey;
  /** The key for this kid, current or previous; undefined for any other kid. */
  verificationKey(kid: string): KeyObject | undefined;
  /** Every public key in use, current first; empty under HS256 (a secret is never published). */
  readonly jwks: JsonWebKeySet;
}

/** RFC 7518 §3.2: an HS256 key of at least the hash's size. */
const MIN_SECRET_BYTES = 32;
/** NIST SP 800-131A: RSA keys below 2048 bits are not acceptable for signatures. */
const MIN_RSA_BITS = 2048;
const KEY_ID = /^[\x21-\x7e]{1,128}$/;
/** JWK members that only a private or secret key has (RFC 7518 §6.2.2, §6.3.2, §6.4.1). */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const problem = <T>(text: string): Parsed<T> => ({ ok: false, problem: text });

/** A kid: 1–128 visible ASCII characters. */
export function checkKeyId(kid: string): Parsed<string> {
  return KEY_ID.test(kid) ? ok(kid) : problem('must be 1 to 128 visible ASCII characters (no spaces)');
}

/**
 * The current signing key from its configured form: the HS256 secret, or a PEM private key
 * (PKCS#8, PKCS#1 or SEC1, unencrypted) of the type the algorithm needs. Without an explicit kid
 * the key gets its RFC 7638 thumbprint, which for a secret is a hash of a JSON wrapper around it:
 * it identifies the key and reveals nothing of it.
 */
export function signingKeyFrom(algorithm: SigningAlgorithm, material: string, kid: string | undefined): Parsed<SigningKey> {
  if (algorithm === 'HS256') {
    if (Buffer.byteLength(material, 'utf8') < MIN_SECRET_BYTES) return problem(`must be at least ${MIN_SECRET_BYTES} bytes long`);
    const key = createSecretKey(Buffer.from(material, 'utf8'));
    const id = kid ?? thumbprint(key.export({ format: 'jwk' }));
    return ok({ kid: id, key, verification: { kid: id, key, jwk: undefined } });
  }
  const pem = unescapeNewlines(material.trim());
  if (!pem.startsWith('-----BEGIN ')) return problem('is not a PEM private key (it should start with -----BEGIN PRIVATE KEY-----)');
  if (/^-----BEGIN (PUBLIC KEY|RSA PUBLIC KEY|CERTIFICATE)-----/.test(pem)) {
    return problem('holds a public key or certificate; it needs the private key');
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    return problem('is not a readable PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted)');
  }
  const publicKey = createPublicKey(privateKey);
  const fit = checkKeyFits(algorithm, publicKey);
  if (!fit.ok) return fit;
  const jwk = publicJwk(algorithm, publicKey, kid);
  return ok({ kid: jwk.kid, key: privateKey, verification: { kid: jwk.kid, key: publicKey, jwk } });
}

/**
 * The public keys that still verify (JWT_PREVIOUS_PUBLIC_KEYS): a JWK Set in JSON. Each key needs
 * a kid and the configured alg, and may carry no private member. Under HS256 there are none.
 */
export function previousKeysFrom(algorithm: SigningAlgorithm, json: string): Parsed<VerificationKey[]> {
  let set: unknown;
  try {
    set = JSON.parse(json);
  } catch {
    return problem('is not valid JSON (expected a JWK Set: {"keys": [...]})');
  }
  if (!isRecord(set) || !Array.isArray(set['keys'])) return problem('must be a JWK Set: {"keys": [...]}');
  if (algorithm === 'HS256' && set['keys'].length > 0) {
    return problem('must be empty under HS256: an HMAC secret has no public key (rotate to RS256 or ES256 to keep old tokens valid)');
  }
  const keys: VerificationKey[] = [];
  for (const [index, entry] of (set['keys'] as unknown[]).entries()) {
    const key = previousKey(algorithm, entry);
    if (!key.ok) return problem(`key #${index + 1} ${key.problem}`);
    if (keys.some((other) => other.kid === key.value.kid)) return problem(`holds the kid "${key.value.kid}" twice`);
    keys.push(key.value);
  }
  return ok(keys);
}

function previousKey(algorithm: SigningAlgorithm, entry: unknown): Parsed<VerificationKey> {
  if (!isRecord(entry)) return problem('is not a JSON object');
  const privateMember = PRIVATE_MEMBERS.find((member) => member in entry);
  if (privateMember !== undefined) return problem(`holds a private or secret member ("${privateMember}"): give public keys only`);
  const { kid, alg, use } = entry;
  if (typeof kid !== 'string' || !checkKeyId(kid).ok) return problem('needs a kid of 1 to 128 visible ASCII characters');
  if (alg !== algorithm) return problem(`(kid "${kid}") has alg ${JSON.stringify(alg ?? null)}, but JWT_ALG is ${algorithm}`);
  if (use !== undefined && use !== 'sig') return problem(`(kid "${kid}") has use "${String(use)}", not "sig"`);
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: entry as JsonWebKey, format: 'jwk' });
  } catch {
    return problem(`(kid "${kid}") is not a readable public JWK`);
  }
  const fit = checkKeyFits(algorithm, publicKey);
  if (!fit.ok) return problem(`(kid "${kid}") ${fit.problem}`);
  return ok({ kid, key: publicKey, jwk: publicJwk(algorithm, publicKey, kid) });
}

/**
 * The key set: the current key and the previous ones, each kid naming one key. A previous entry
 * that is the current key itself (same kid, same public key) is dropped rather than refused: it
 * is how a next key is published ahead of becoming current (see README, rotation).
 */
export function keySetFrom(algorithm: SigningAlgorithm, current: SigningKey, previous: readonly VerificationKey[]): Parsed<SigningKeys> {
  const byKid = new Map<string, KeyObject>([[current.kid, current.verification.key]]);
  const jwks: PublicJwk[] = current.verification.jwk === undefined ? [] : [current.verification.jwk];
  for (const key of previous) {
    const known = byKid.get(key.kid);
    if (known !== undefined) {
      if (key.kid === current.kid && known.equals(key.key)) continue;
      return problem(`holds the kid "${key.kid}", which the current signing key also has, for another key`);
    }
    byKid.set(key.kid, key.key);
    if (key.jwk !== undefined) jwks.push(key.jwk);
  }
  return ok({
    algorithm,
    current,
    verificationKey: (kid) => byKid.get(kid),
    jwks: { keys: jwks },
  });
}

/** RSA of at least 2048 bits for RS256 (PKCS#1 v1.5, so not an RSA-PSS key); P-256 for ES256. */
function checkKeyFits(algorithm: SigningAlgorithm, publicKey: KeyObject): Parsed<KeyObject> {
  const type = publicKey.asymmetricKeyType;
  const details = publicKey.asymmetricKeyDetails ?? {};
  if (algorithm === 'RS256') {
    if (type !== 'rsa') return problem(`is ${describeKey(publicKey)}, but RS256 needs an RSA key`);
    if ((details.modulusLength ?? 0) < MIN_RSA_BITS) {
      return problem(`is an RSA key of ${details.modulusLength ?? 0} bits; RS256 needs at least ${MIN_RSA_BITS}`);
    }
    return ok(publicKey);
  }
  if (algorithm === 'ES256') {
    if (type !== 'ec') return problem(`is ${describeKey(publicKey)}, but ES256 needs an EC key on P-256`);
    if (details.namedCurve !== 'prime256v1') return problem(`is an EC key on ${details.namedCurve ?? 'an unknown curve'}; ES256 needs P-256`);
    return ok(publicKey);
  }
  return problem('is an asymmetric key, but HS256 takes a secret');
}

function describeKey(key: KeyObject): string {
  const type = key.asymmetricKeyType ?? 'secret';
  return type === 'ec' ? `an EC key (${key.asymmetricKeyDetails?.namedCurve ?? 'unknown curve'})` : `an ${type.toUpperCase()} key`;
}

/** The public JWK as published: only public members (re-exported from the KeyObject), plus kid, alg, use. */
function publicJwk(algorithm: SigningAlgorithm, publicKey: KeyObject, kid: string | undefined): PublicJwk {
  const members = publicKey.export({ format: 'jwk' });
  const kty = members.kty ?? '';
  return { ...members, kty, kid: kid ?? thumbprint(members), alg: algorithm, use: 'sig' };
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url) over the required members in lexical order. */
export function thumbprint(jwk: JsonWebKey): string {
  const required: Record<string, readonly string[]> = { EC: ['crv', 'kty', 'x', 'y'], RSA: ['e', 'kty', 'n'], oct: ['k', 'kty'] };
  const names = required[jwk.kty ?? ''];
  if (names === undefined) throw new Error('No thumbprint for this key type.');
  const canonical = JSON.stringify(Object.fromEntries(names.map((name) => [name, jwk[name]])));
  return createHash('sha256').update(canonical).digest('base64url');
}

/** A PEM written on one line with literal \n (as .env files and CI variables hold it). */
function unescapeNewlines(pem: string): string {
  return pem.includes('\n') ? pem : pem.replace(/\\n/g, '\n');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
