import type { KeyObject } from 'node:crypto';
import { Logger } from '@aws-lambda-powertools/logger';
import { AccessTokenService } from '../../lib/auth/access-tokens';
import { signingKeyFrom, thumbprint } from '../../lib/auth/key-material';
import { signingKeySource, type ParameterReader } from '../../lib/auth/signing-keys';
import { ConfigError, loadConfig } from '../../lib/config';
import { SigningKeyUnavailableError, StorageUnavailableError } from '../../lib/errors';
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

  it('answers an SSM failure with SigningKeyUnavailableError (503), never as a storage outage, and tries again on the next request', async () => {
    const store = parameterStore(new Error('timeout'), key.material);
    const keys = signingKeySource(deployedConfig(), { readParameter: store, logger: silentLogger() });

    const failure = await keys().then(() => undefined, (error: unknown) => error);
    expect(failure).toBeInstanceOf(SigningKeyUnavailableError);
    expect(failure).not.toBeInstanceOf(StorageUnavailableError);
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

describe("the README's rotation procedure (ES256, key in SSM)", () => {
  const issuer = 'https://auth.test';
  const oldKey = newKey('ES256');
  const nextKey = newKey('ES256');

  /** One container: the deployment's JWT_PREVIOUS_PUBLIC_KEYS, and what the parameter held when it started. */
  function container(previous: string | undefined, parameterValue: string): AccessTokenService {
    const config = deployedConfig(previous === undefined ? {} : { JWT_PREVIOUS_PUBLIC_KEYS: previous });
    const keys = signingKeySource(config, { readParameter: parameterStore(parameterValue), logger: silentLogger() });
    return new AccessTokenService(keys, { issuer, audience: 'serverless-auth', ttlSeconds: 900 }, () => Date.now());
  }

  /** Every token any live container signs verifies on every live container. */
  async function expectMutualTrust(live: Record<string, AccessTokenService>): Promise<void> {
    for (const [signerName, signer] of Object.entries(live)) {
      const { token } = await signer.issue({ sub: 'account-1', username: 'alice', roles: ['user'], scope: 'profile:read', sid: 'session-1', ver: 0 });
      for (const [verifierName, verifier] of Object.entries(live)) {
        const outcome = await verifier.verify(token).then(
          () => 'accepted',
          (error: unknown) => String(error),
        );
        expect(`${signerName} -> ${verifierName}: ${outcome}`).toBe(`${signerName} -> ${verifierName}: accepted`);
      }
    }
  }

  it('never refuses a valid token while containers of consecutive steps run side by side', async () => {
    const before = container(undefined, oldKey.material);
    const published = JSON.stringify((await (signingKeySource(deployedConfig(), { readParameter: parameterStore(oldKey.material) }))()).jwks);
    const nextJwk = signingKeyFrom('ES256', nextKey.material, undefined);
    if (!nextJwk.ok) throw new Error(nextJwk.problem);
    const keys = JSON.stringify({ keys: [...(JSON.parse(published) as { keys: unknown[] }).keys, nextJwk.value.verification.jwk] });

    // Step 1: deploy with KEYS (published + next); the parameter still holds the old key.
    const step1 = container(keys, oldKey.material);
    await expectMutualTrust({ before, step1 });
    // Step 2: the parameter now holds the next key. Until the deploy has replaced every step-1
    // container, warm ones sign with the old key and cold ones read the next key.
    const step1Cold = container(keys, nextKey.material);
    const step2 = container(published, nextKey.material);
    await expectMutualTrust({ step1, step1Cold, step2 });
    // Step 3: the old key is dropped. Only its tokens (expired by then) are refused.
    const step3 = container(undefined, nextKey.material);
    await expectMutualTrust({ step2, step3 });
    const oldToken = (await step1.issue({ sub: 'account-1', username: 'alice', roles: ['user'], scope: 'profile:read', sid: 'session-1', ver: 0 })).token;
    await expect(step3.verify(oldToken)).rejects.toMatchObject({ reason: 'unknown_key' });
  });
});
