import { handler as authorizer } from '../../handlers/authorizer';
import { handler as me } from '../../handlers/me';
import { handler as register } from '../../handlers/register';
import { freePort } from '../../scripts/local-dynamodb';
import { logger } from '../../lib/logger';
import { authorizerEvent, bodyOf, httpEvent, lambdaContext, uniqueUsername } from '../support/events';
import { expectApiError, loginResponse, PASSWORD, registerUser, tokenFor } from './helpers';

describe('log lines', () => {
  let captured: string[] = [];
  let spies: jest.SpyInstance[] = [];

  // Both streams: the logger writes WARN and ERROR lines to stderr.
  beforeEach(() => {
    captured = [];
    logger.setLogLevel('DEBUG');
    spies = [process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        captured.push(String(chunk));
        return true;
      }),
    );
  });
  afterEach(() => {
    spies.forEach((spy) => spy.mockRestore());
    logger.setLogLevel('SILENT');
  });

  it('record each login decision with its reason, and never a password, token or hash', async () => {
    const secretPassword = 'Sup3r-Secret-Passw0rd-xyz';
    const user = await registerUser(uniqueUsername('logged'), secretPassword);
    const token = await tokenFor(user.username, secretPassword);
    await loginResponse(user.username, 'Wrong-Passw0rd-abc');
    await loginResponse(uniqueUsername('ghost'), 'Ghost-Passw0rd-def');
    await authorizer(authorizerEvent({ method: 'GET', path: '/admin/users', headers: { Authorization: `Bearer ${token}` } }), lambdaContext());
    await expect(
      authorizer(authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${token}x` } }), lambdaContext()),
    ).rejects.toThrow('Unauthorized');

    const lines = captured.join('').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
    const decisions = lines.map((line) => `${String(line['event'])}:${String(line['outcome'])}:${String(line['reason'] ?? '')}`);
    expect(decisions).toEqual([
      'login:success:',
      'login:failure:wrong_password',
      'login:failure:unknown_username',
      'authorize:deny:',
      'authorize:unauthorized:signature',
    ]);
    for (const line of lines) expect(line['function_request_id']).toEqual(expect.any(String));
    const all = captured.join('');
    for (const secret of [secretPassword, 'Wrong-Passw0rd-abc', 'Ghost-Passw0rd-def', token, token.split('.')[2] ?? 'x', '$2a$', '$2b$', process.env['JWT_SECRET'] ?? 'x']) {
      expect(all).not.toContain(secret);
    }
  });

  it('record an unexpected error by name only, and answer an opaque 500', async () => {
    // A protected handler reached without the authorizer's context: a deployment mistake.
    const response = await me(httpEvent({ method: 'GET', resource: '/me' }), lambdaContext());

    expectApiError(response, 500, 'server_error');
    expect(response.body).not.toMatch(/authorizer|context|at \w|\.ts/);
    const lines = captured.join('').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([expect.objectContaining({ level: 'ERROR', message: 'unexpected error', errorName: 'Error' })]);
    // The error's own message stays out of the log: library messages can quote the input.
    expect(captured.join('')).not.toContain('The authorizer context is missing');
  });
});

describe('when DynamoDB cannot be reached', () => {
  it('answers 503 service_unavailable in API.md shape, without internals, and writes nothing', async () => {
    const credentials = { username: uniqueUsername(), password: PASSWORD };
    const previous = process.env['DYNAMODB_ENDPOINT'];
    process.env['DYNAMODB_ENDPOINT'] = `http://127.0.0.1:${await freePort()}`;
    try {
      let handlers: { register: typeof register; login: typeof register } | undefined;
      await jest.isolateModulesAsync(async () => {
        handlers = { register: (await import('../../handlers/register')).handler, login: (await import('../../handlers/login')).handler };
      });
      const started = Date.now();
      const registered = await handlers!.register(httpEvent({ method: 'POST', resource: '/auth/register', json: credentials }), lambdaContext());
      expectApiError(registered, 503, 'service_unavailable');
      const loggedIn = await handlers!.login(httpEvent({ method: 'POST', resource: '/auth/login', json: credentials }), lambdaContext());
      expectApiError(loggedIn, 503, 'service_unavailable');
      expect(bodyOf(loggedIn)['error_description']).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|dynamo/i);
      // Bounded by the explicit SDK timeouts and retries, not a timed assertion on speed.
      expect(Date.now() - started).toBeLessThan(15_000);
    } finally {
      process.env['DYNAMODB_ENDPOINT'] = previous;
    }
    // Nothing was half-written: with the store back, the name is still free.
    expect((await register(httpEvent({ method: 'POST', resource: '/auth/register', json: credentials }), lambdaContext())).statusCode).toBe(201);
  });
});
