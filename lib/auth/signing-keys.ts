import type { Logger } from '@aws-lambda-powertools/logger';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { ConfigError, type Config } from '../config';
import { SigningKeyUnavailableError } from '../errors';
import { logger as sharedLogger } from '../logger';
import { keySetFrom, signingKeyFrom, type Parsed, type SigningKeys } from './key-material';

export type { JsonWebKeySet, PublicJwk, SigningAlgorithm, SigningKeys } from './key-material';

export type SigningKeySource = () => Promise<SigningKeys>;

/** Reads a SecureString parameter's decrypted value. */
export type ParameterReader = (region: string, name: string) => Promise<string>;

export interface SigningKeySourceOptions {
  readonly logger?: Logger;
  /** Replaceable in tests; reads SSM Parameter Store by default. */
  readonly readParameter?: ParameterReader;
}

/**
 * Builds the key source from config. A key given directly was checked and made a KeyObject at
 * INIT; one held in SSM is fetched (decrypted) on first use, checked the same way and kept for the
 * container's life. KeyObjects are never built per request.
 */
export function signingKeySource(config: Pick<Config, 'region' | 'signing'>, options: SigningKeySourceOptions = {}): SigningKeySource {
  const { logger = sharedLogger, readParameter = readSsmParameter } = options;
  const { algorithm, keyId, current, previous } = config.signing;
  if (current.kind === 'key') {
    const keys = Promise.resolve(orThrow(keySetFrom(algorithm, current.key, previous), 'JWT_PREVIOUS_PUBLIC_KEYS'));
    return () => keys;
  }
  const parameter = current.parameter;
  let pending: Promise<SigningKeys> | undefined;
  return () => {
    pending ??= readParameter(config.region, parameter).then(
      (material) => {
        // A bad key stays bad until the parameter is fixed and the stage redeployed: it is not
        // fetched again per request, and every request fails with a 500 until then.
        const key = signingKeyFrom(algorithm, material, keyId);
        const keys = key.ok ? keySetFrom(algorithm, key.value, previous) : key;
        const source = key.ok ? 'JWT_PREVIOUS_PUBLIC_KEYS' : `The SSM parameter ${parameter}`;
        if (!keys.ok) logger.error('signing key unusable', { source, problem: keys.problem });
        return orThrow(keys, source);
      },
      (error: unknown) => {
        pending = undefined; // let the next request try again
        throw new SigningKeyUnavailableError({ cause: error });
      },
    );
    return pending;
  };
}

function orThrow<T>(parsed: Parsed<T>, source: string): T {
  if (!parsed.ok) throw new ConfigError(`${source} ${parsed.problem.replace(/\.?$/, '.')}`);
  return parsed.value;
}

async function readSsmParameter(region: string, name: string): Promise<string> {
  const ssm = new SSMClient({
    region,
    maxAttempts: 3,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 500, requestTimeout: 1_000, throwOnRequestTimeout: true }),
  });
  try {
    const result = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
    const value = result.Parameter?.Value;
    if (value === undefined) throw new Error('The signing key parameter is empty.');
    return value;
  } finally {
    ssm.destroy();
  }
}
