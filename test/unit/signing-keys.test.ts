import type { KeyObject } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { thumbprint } from '../../lib/auth/key-material';
import { signingKeySource, type ParameterReader } from '../../lib/auth/signing-keys';
import { ConfigError, loadConfig } from '../../lib/config';
import { StorageUnavailableError } from '../../lib/errors';
import { newKey, publicJwkOf } from '../support/signing';

const PARAMETER = '/serverless-auth/prod/jwt-private-key';

/** A deployed ES256 configuration: the private key lives in SSM under PARAMETER. */
function deployedConfig(env: Record<string, string> = {}) {
  return loadConfig({ TABLE_NAME: 't', JWT_ISSUER: 'https://auth.test', JWT_ALG: 'ES256', JWT_PRIVATE_KEY_PARAMETER: PARAMETER, ...env });
}

/** Stands in for SSM Parameter Store: answers from a queue of results, and counts the reads. */
function parameterStore(...answers: (string | Error)[]): ParameterReader & { reads: string[] } {
  const reads: string[] = [];
  const reader = async (_region: string, name: string) => {
    reads.push(name);
    const answer = answers.length > 1 ? answers.shift() : answers[0];
    if (answer instanceof Error) throw answer;
    return answer ?? '';
  };
  return Object.assign(reader, { reads });
}

const silentLogger = () => new Logger({ serviceName: 'test', logLevel: 'SILENT' });

describe('signing keys held in SSM Parameter Store', () => {
  const key = newKey('ES256');

  it('reads the parameter once per container, on first use, and builds its KeyObjects once', async () => {
    const store = parameterStore(key.material);
    const keys = signingKeySource(deployedConfig(), { readParameter: store, logger: silentLogger() });
    expect(store.reads).toEqual([]);

    const results = await Promise.all([keys(), keys(), keys()]);
    const later = await keys();

    expect(store.reads).toEqual([PARAMETER]);
    for (const result of [...results, later]) expect(result.current.key).toBe(later.current.key);
    expect(later.jwks.keys).toHaveLength(1);
  });

  it('answers an SSM failure with StorageUnavailableError (503) and tries again on the next request', async () => {
    const store = parameterStore(new Error('timeout'), key.material);
    const keys = signingKeySource(deployedConfig(), { readParameter: store, logger: silentLogger() });

    await expect(keys()).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(keys()).resolves.toMatchObject({ algorithm: 'ES256' });
    expect(store.reads).toHaveLength(2);
  });

  it('refuses a parameter holding the wrong kind of key, names the parameter, logs no key, and does not read it per request', async () => {
    const rsa = newKey('RS256');
    const store = parameterStore(rsa.material);
    const logger = silentLogger();
    const logged = jest.spyOn(logger, 'error');
    const keys = signingKeySource(deployedConfig(), { readParameter: store, logger });

    await expect(keys()).rejects.toThrow(new ConfigError(`The SSM parameter ${PARAMETER} is an RSA key, but ES256 needs an EC key on P-256.`));
    await expect(keys()).rejects.toBeInstanceOf(ConfigError);
    expect(store.reads).toHaveLength(1);
    expect(logged).toHaveBeenCalledTimes(1);
    const line = JSON.stringify(logged.mock.calls);
    const body = rsa.material.split('\n')[1] ?? '';
    expect(body.length).toBeGreaterThan(40);
    expect(line).not.toContain(body);
  });

  it('refuses a key from SSM whose kid a previous key has for another key, and keeps one listed ahead of use', async () => {
    const kid = thumbprint((key.publicKey as KeyObject).export({ format: 'jwk' }));
    const impostor = publicJwkOf(newKey('ES256'), kid);
    const clash = signingKeySource(deployedConfig({ JWT_PREVIOUS_PUBLIC_KEYS: JSON.stringify({ keys: [impostor] }) }), {
      readParameter: parameterStore(key.material),
      logger: silentLogger(),
    });
    await expect(clash()).rejects.toThrow(/JWT_PREVIOUS_PUBLIC_KEYS holds the kid/);

    const ahead = signingKeySource(deployedConfig({ JWT_PREVIOUS_PUBLIC_KEYS: JSON.stringify({ keys: [publicJwkOf(key, kid)] }) }), {
      readParameter: parameterStore(key.material),
      logger: silentLogger(),
    });
    expect((await ahead()).jwks.keys.map((jwk) => jwk.kid)).toEqual([kid]);
  });
});
