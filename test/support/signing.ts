/**
 * Key material for tests, generated at run time (no key is ever a literal in the repository), and
 * a hand signer that can put anything in a header or payload, to reach the checks behind the
 * signature.
 */
import { createHmac, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import type { SigningAlgorithm } from '../../lib/auth/key-material';

export interface TestKey {
  readonly algorithm: SigningAlgorithm;
  /** What the service is configured with: the secret, or the PKCS#8 PEM private key. */
  readonly material: string;
  /** What signs: the secret's bytes, or the private KeyObject. */
  readonly signer: Buffer | KeyObject;
  /** The public key (undefined under HS256). */
  readonly publicKey: KeyObject | undefined;
}

/** A fresh key for the algorithm: a 32-byte secret, RSA 2048 or P-256. */
export function newKey(algorithm: SigningAlgorithm): TestKey {
  if (algorithm === 'HS256') {
    const material = randomBytes(32).toString('base64url');
    return { algorithm, material, signer: Buffer.from(material, 'utf8'), publicKey: undefined };
  }
  const { privateKey, publicKey } =
    algorithm === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { algorithm, material: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), signer: privateKey, publicKey };
}

/** The public JWK of a key as a previous key is configured: key members plus kid and alg. */
export function publicJwkOf(key: TestKey, kid: string): Record<string, unknown> {
  if (key.publicKey === undefined) throw new Error('HS256 keys have no public JWK');
  return { ...key.publicKey.export({ format: 'jwk' }), kid, alg: key.algorithm, use: 'sig' };
}

const b64 = (value: unknown): string =>
  Buffer.from(typeof value === 'string' && value.startsWith('raw:') ? value.slice(4) : JSON.stringify(value)).toString('base64url');

/**
 * A compact JWS over any header and payload (a payload string starting with `raw:` is taken as raw
 * bytes, not JSON). `signAs` picks the signature algorithm, independently of the header's alg.
 */
export function handSign(
  header: Record<string, unknown>,
  payload: unknown,
  key: Buffer | KeyObject | string,
  signAs: SigningAlgorithm,
): string {
  const input = `${b64(header)}.${b64(payload)}`;
  let signature: Buffer;
  if (signAs === 'HS256') {
    signature = createHmac('sha256', key as Buffer | string).update(input).digest();
  } else {
    signature = sign('sha256', Buffer.from(input), signAs === 'ES256' ? { key: key as KeyObject, dsaEncoding: 'ieee-p1363' } : (key as KeyObject));
  }
  return `${input}.${signature.toString('base64url')}`;
}

/** JWK members only a private or secret key has: none may ever be published. */
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
