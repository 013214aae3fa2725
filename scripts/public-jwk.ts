/**
 * `npm run -s jwk -- [published.json] key.pem [...]`: prints one JWK Set, the form
 * JWT_PREVIOUS_PUBLIC_KEYS takes: the public halves of PEM keys (private or public), each with the
 * kid the service gives it (its RFC 7638 thumbprint) and the alg of JWT_ALG (RS256 or ES256), after
 * the keys of any JWK Set file given (e.g. the service's /.well-known/jwks.json, saved). Used to
 * publish a next key ahead of a rotation (see README). Nothing private is printed.
 */
import { createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { previousKeysFrom, thumbprint } from '../lib/auth/key-material';

function main(): void {
  const algorithm = process.env['JWT_ALG'] ?? '';
  if (algorithm !== 'RS256' && algorithm !== 'ES256') throw new Error('Set JWT_ALG to RS256 or ES256 (HS256 secrets have no public key).');
  const files = process.argv.slice(2);
  if (files.length === 0) throw new Error('Give PEM key files and/or JWK Set files: npm run -s jwk -- [published.json] next.pem');
  const keys = files.flatMap((file) => keysOf(file, algorithm));
  const set = JSON.stringify({ keys });
  // The checks the functions run at INIT: public keys only, key type and size, alg, distinct kids.
  const checked = previousKeysFrom(algorithm, set);
  if (!checked.ok) throw new Error(`JWT_PREVIOUS_PUBLIC_KEYS would be refused: ${checked.problem}.`);
  console.log(set);
}

function keysOf(file: string, algorithm: 'RS256' | 'ES256'): unknown[] {
  const text = readFileSync(file, 'utf8');
  if (text.trimStart().startsWith('{')) {
    const set = JSON.parse(text) as { keys?: unknown };
    if (!Array.isArray(set.keys)) throw new Error(`${file} is not a JWK Set ({"keys": [...]}).`);
    return set.keys;
  }
  let members;
  try {
    members = createPublicKey(text).export({ format: 'jwk' });
  } catch {
    throw new Error(`${file} is neither a JWK Set nor a readable PEM key.`);
  }
  return [{ ...members, kid: thumbprint(members), alg: algorithm, use: 'sig' }];
}

try {
  main();
} catch (error) {
  console.error(`jwk: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
