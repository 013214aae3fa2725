import { createSecretKey, type KeyObject } from 'node:crypto';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { assertSecretLength, type Config } from '../config';
import { StorageUnavailableError } from '../errors';

export type SigningAlgorithm = 'HS256';

/** The keys tokens are signed and verified with, built once per container. */
export interface SigningKeys {
  readonly algorithm: SigningAlgorithm;
  readonly signingKey: KeyObject;
  readonly verificationKey: KeyObject;
}

export type SigningKeySource = () => Promise<SigningKeys>;

/**
 * Builds the key source from config. A secret given directly becomes a KeyObject at once; one
 * held in SSM is fetched (decrypted) on first use and kept for the container's life.
 */
export function signingKeySource(config: Config): SigningKeySource {
  const secret = config.jwtSecret;
  if (secret.kind === 'value') {
    const keys = Promise.resolve(hmacKeys(secret.value));
    return () => keys;
  }
  let pending: Promise<SigningKeys> | undefined;
  return () => {
    pending ??= fetchSsmSecret(config.region, secret.parameter).then(hmacKeys, (error: unknown) => {
      pending = undefined; // let the next request try again
      throw new StorageUnavailableError({ cause: error });
    });
    return pending;
  };
}

function hmacKeys(secret: string): SigningKeys {
  assertSecretLength(secret, 'The JWT secret');
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return { algorithm: 'HS256', signingKey: key, verificationKey: key };
}

async function fetchSsmSecret(region: string, name: string): Promise<string> {
  const ssm = new SSMClient({
    region,
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 500, requestTimeout: 1_000 }),
  });
  const result = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  const value = result.Parameter?.Value;
  if (value === undefined) throw new Error('The JWT secret parameter is empty.');
  return value;
}
