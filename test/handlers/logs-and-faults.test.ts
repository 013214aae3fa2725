import { randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { handler as authorizer } from '../../handlers/authorizer';
import { handler as login } from '../../handlers/login';
import { handler as oauthToken } from '../../handlers/oauth-token';
import { handler as me } from '../../handlers/me';
import { handler as register } from '../../handlers/register';
import { freePort } from '../../scripts/local-dynamodb';
import { accountService } from '../../lib/dependencies';
import { logger } from '../../lib/logger';
import { authorizerEvent, bodyOf, httpEvent, lambdaContext, uniqueUsername } from '../support/events';
import { expectApiError, PASSWORD, registerUser, tokenFor } from './helpers';

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

  const parsedLines = () =>
    captured.join('').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Record<string, unknown>);

  /** Runs one invocation with its own Lambda context; returns the log lines it wrote and that context's request id. */
  async function linesOf(invoke: (context: Context) => Promise<unknown>): Promise<{ lines: Record<string, unknown>[]; requestId: string; text: string }> {
    captured = [];
    const context = lambdaContext();
    await invoke(context).catch(() => undefined);
    return { lines: parsedLines(), requestId: context.awsRequestId, text: captured.join('') };
  }

  it('record every authentication decision in exactly one line with its reason and the request id, and no secret', async () => {
    const secretPassword = 'Sup3r-Secret-Passw0rd-xyz';
    const user = await registerUser(uniqueUsername('logged'), secretPassword);
    const disabled = await registerUser(uniqueUsername('logged-off'), secretPassword);
    await accountService().updateAccount(randomUUID(), disabled.id, { disabled: true });
    const token = await tokenFor(user.username, secretPassword);
    const bearer = (value: string) => ({ headers: { Authorization: `Bearer ${value}` } });
    const loginAs = (username: string, password: string) => (context: Context) =>
      login(httpEvent({ method: 'POST', resource: '/auth/login', json: { username, password } }), context);
    const authorize = (method: string, path: string, headers: Record<string, string>) => (context: Context) =>
      authorizer(authorizerEvent({ method, path, headers }), context);

    const cases: [string, (context: Context) => Promise<unknown>][] = [
      ['login:success:', loginAs(user.username, secretPassword)],
      [
        'login:success:',
        (context) =>
          oauthToken(httpEvent({ method: 'POST', resource: '/oauth/token', form: { grant_type: 'password', username: user.username, password: secretPassword } }), context),
      ],
      ['login:failure:wrong_password', loginAs(user.username, 'Wrong-Passw0rd-abc')],
      ['login:failure:unknown_username', loginAs(uniqueUsername('ghost'), 'Ghost-Passw0rd-def')],
      ['login:failure:account_disabled', loginAs(disabled.username, secretPassword)],
      ['login:failure:password_too_long', loginAs(user.username, `Long-${'x'.repeat(80)}`)],
      ['authorize:allow:permission_granted', authorize('GET', '/me', bearer(token).headers)],
      ['authorize:deny:missing_permission', authorize('GET', '/admin/users', bearer(token).headers)],
      ['authorize:unauthorized:signature', authorize('GET', '/me', bearer(`${token}x`).headers)],
      ['authorize:unauthorized:no_bearer_token', authorize('GET', '/me', {})],
    ];
    const written: string[] = [];
    for (const [decision, invoke] of cases) {
      const { lines, requestId, text } = await linesOf(invoke);
      written.push(text);
      expect({ decision, lines: lines.map((line) => `${String(line['event'])}:${String(line['outcome'])}:${String(line['reason'] ?? '')}`) }).toEqual({
        decision,
        lines: [decision],
      });
      expect(lines[0]?.['function_request_id']).toBe(requestId);
    }

    const all = written.join('');
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
