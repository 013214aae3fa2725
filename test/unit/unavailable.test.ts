import { Logger } from '@aws-lambda-powertools/logger';
import { AccessTokenService } from '../../lib/auth/access-tokens';
import { AuthorizerService } from '../../lib/auth/authorizer-service';
import { signingKeySource } from '../../lib/auth/signing-keys';
import { loadConfig } from '../../lib/config';
import { SigningKeyUnavailableError, StorageUnavailableError } from '../../lib/errors';
import { authorizerHandler } from '../../lib/http/authorizer-handler';
import { httpHandler } from '../../lib/http/handler';
import { logger } from '../../lib/logger';
import { authorizerEvent, httpEvent, lambdaContext } from '../support/events';

/** What `run` returns, and the log lines it wrote (at DEBUG). */
async function logged<T>(run: () => Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const captured: string[] = [];
  logger.setLogLevel('DEBUG');
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured.push(String(chunk));
      return true;
    }),
  );
  try {
    const result = await run();
    const lines = captured.join('').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
    return { result, lines };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
    logger.setLogLevel('SILENT');
  }
}

/** The lines the one error → HTTP place writes for a step that fails with `error`, and the response. */
async function failWith(error: Error) {
  const { result: response, lines } = await logged(() => httpHandler(() => Promise.reject(error))(httpEvent({ method: 'GET', resource: '/x' }), lambdaContext()));
  return { response, lines };
}

describe('a signing key that cannot be fetched, and a store that cannot be reached', () => {
  it('are both a 503 service_unavailable to the caller', async () => {
    for (const error of [new SigningKeyUnavailableError(), new StorageUnavailableError()]) {
      const { response } = await failWith(error);
      expect({ error: error.name, status: response.statusCode, code: (JSON.parse(response.body) as { error: string }).error }).toEqual({
        error: error.name,
        status: 503,
        code: 'service_unavailable',
      });
    }
  });

  it('are logged apart: a signing-key failure is never logged as a storage outage', async () => {
    const cause = Object.assign(new Error('x'), { name: 'CredentialsProviderError' });
    const keyLines = (await failWith(new SigningKeyUnavailableError({ cause }))).lines;
    expect(keyLines).toEqual([expect.objectContaining({ level: 'WARN', message: 'signing key unavailable', cause: 'CredentialsProviderError' })]);
    const storeLines = (await failWith(new StorageUnavailableError({ cause }))).lines;
    expect(storeLines).toEqual([expect.objectContaining({ level: 'WARN', message: 'storage unavailable', cause: 'CredentialsProviderError' })]);
  });

  it("in the authorizer, a key SSM cannot hand over is an AUTHORIZER_FAILURE (503) logged as the signing key's, not the store's", async () => {
    // Deployed settings: the key is read from SSM on first use, and SSM does not answer.
    const config = loadConfig({ TABLE_NAME: 't', JWT_ISSUER: 'https://auth.test', JWT_SECRET_PARAMETER: '/serverless-auth/test/jwt-secret' });
    const unreachable = () => Promise.reject(Object.assign(new Error('x'), { name: 'TimeoutError' }));
    const keys = signingKeySource(config, { readParameter: unreachable, logger: new Logger({ logLevel: 'SILENT' }) });
    const tokens = new AccessTokenService(keys, { issuer: config.issuer, audience: config.audience, ttlSeconds: 900 }, () => Date.now());
    const handler = authorizerHandler(new AuthorizerService(tokens, () => Promise.resolve('live'), logger));
    // Well formed, so that its signature is checked: that needs the key.
    const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${part({ alg: 'HS256', typ: 'at+jwt', kid: 'k' })}.${part({ sub: 'x' })}.${'A'.repeat(43)}`;
    const event = authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${token}` } });

    const { result, lines } = await logged(() => handler(event, lambdaContext('authorizer')).then(() => undefined, (error: unknown) => error));

    expect(result).toEqual(new Error('AuthorizerFailure'));
    expect(lines).toEqual([expect.objectContaining({ level: 'WARN', reason: 'signing_key_unavailable', cause: 'TimeoutError' })]);
  });
});
