import { SigningKeyUnavailableError, StorageUnavailableError } from '../../lib/errors';
import { httpHandler } from '../../lib/http/handler';
import { logger } from '../../lib/logger';
import { httpEvent, lambdaContext } from '../support/events';

/** The lines the one error → HTTP place writes for a step that fails with `error`, and the response. */
async function failWith(error: Error) {
  const captured: string[] = [];
  logger.setLogLevel('DEBUG');
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      captured.push(String(chunk));
      return true;
    }),
  );
  try {
    const response = await httpHandler(() => Promise.reject(error))(httpEvent({ method: 'GET', resource: '/x' }), lambdaContext());
    const lines = captured.join('').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
    return { response, lines };
  } finally {
    spies.forEach((spy) => spy.mockRestore());
    logger.setLogLevel('SILENT');
  }
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
});
