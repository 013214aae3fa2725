import { randomBytes, randomUUID } from 'node:crypto';
import type { Context } from 'aws-lambda';
import { handler as adminCreateUser } from '../../handlers/admin-create-user';
import { handler as adminDeleteUser } from '../../handlers/admin-delete-user';
import { handler as adminGetUser } from '../../handlers/admin-get-user';
import { handler as adminListUsers } from '../../handlers/admin-list-users';
import { handler as adminUpdateUser } from '../../handlers/admin-update-user';
import { handler as authorizer } from '../../handlers/authorizer';
import { handler as login } from '../../handlers/login';
import { handler as me } from '../../handlers/me';
import { handler as oauthToken } from '../../handlers/oauth-token';
import { handler as register } from '../../handlers/register';
import { freePort } from '../../scripts/local-dynamodb';
import { accountService } from '../../lib/dependencies/accounts';
import { logger } from '../../lib/logger';
import { authorizedEvent, authorizerEvent, bodyOf, httpEvent, lambdaContext, uniqueUsername, type HttpEventInput } from '../support/events';
import { createAdmin, expectApiError, loginResponse, PASSWORD, registerUser, tokenFor } from './helpers';

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

    // Each decision with its level: allows at DEBUG (the deployed level, INFO, leaves them out), the rest at INFO.
    const cases: [string, (context: Context) => Promise<unknown>][] = [
      ['login:success: INFO', loginAs(user.username, secretPassword)],
      [
        'login:success: INFO',
        (context) =>
          oauthToken(httpEvent({ method: 'POST', resource: '/oauth/token', form: { grant_type: 'password', username: user.username, password: secretPassword } }), context),
      ],
      ['login:failure:wrong_password INFO', loginAs(user.username, 'Wrong-Passw0rd-abc')],
      ['login:failure:unknown_username INFO', loginAs(uniqueUsername('ghost'), 'Ghost-Passw0rd-def')],
      ['login:failure:account_disabled INFO', loginAs(disabled.username, secretPassword)],
      ['login:failure:password_too_long INFO', loginAs(user.username, `Long-${'x'.repeat(80)}`)],
      ['authorize:allow:permission_granted DEBUG', authorize('GET', '/me', bearer(token).headers)],
      ['authorize:deny:missing_permission INFO', authorize('GET', '/admin/users', bearer(token).headers)],
      ['authorize:unauthorized:signature INFO', authorize('GET', '/me', bearer(`${token}x`).headers)],
      ['authorize:unauthorized:no_bearer_token INFO', authorize('GET', '/me', {})],
    ];
    const written: string[] = [];
    for (const [decision, invoke] of cases) {
      const { lines, requestId, text } = await linesOf(invoke);
      written.push(text);
      expect({ decision, lines: lines.map((line) => `${String(line['event'])}:${String(line['outcome'])}:${String(line['reason'] ?? '')} ${String(line['level'])}`) }).toEqual({
        decision,
        lines: [decision],
      });
      expect(lines[0]?.['function_request_id']).toBe(requestId);
    }

    const all = written.join('');
    for (const secret of [secretPassword, 'Wrong-Passw0rd-abc', 'Ghost-Passw0rd-def', token, token.split('.')[2] ?? 'x', '$2a$', '$2b$', process.env['JWT_SECRET'] ?? 'x']) {
      expect(all).not.toContain(secret);
    }
  }, 30_000); // a dozen bcrypt logins: 3–4 s alone, over jest's 5 s default when a full run loads the machine

  it('at INFO, as deployed, leave allows out and still record every denial and refusal', async () => {
    const user = await registerUser(uniqueUsername('logged-info'), PASSWORD);
    const token = await tokenFor(user.username, PASSWORD);
    const authorize = (path: string, headers: Record<string, string>) => (context: Context) =>
      authorizer(authorizerEvent({ method: 'GET', path, headers }), context);
    logger.setLogLevel('INFO');

    let effect: string | undefined;
    const allowed = await linesOf(async (context) => {
      effect = (await authorize('/me', { Authorization: `Bearer ${token}` })(context)).policyDocument.Statement[0]?.Effect;
    });
    const denied = await linesOf(authorize('/admin/users', { Authorization: `Bearer ${token}` }));
    const refused = await linesOf(authorize('/me', {}));

    expect({ effect, lines: allowed.lines }).toEqual({ effect: 'Allow', lines: [] });
    expect(denied.lines).toEqual([expect.objectContaining({ level: 'INFO', outcome: 'deny', reason: 'missing_permission', accountId: user.id })]);
    expect(refused.lines).toEqual([expect.objectContaining({ level: 'INFO', outcome: 'unauthorized', reason: 'no_bearer_token' })]);
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

describe('everything a full run logs, at DEBUG', () => {
  it('holds the decisions, and no password, token, JWT, bcrypt hash, secret, stack trace or file path', async () => {
    const output: string[] = [];
    const spies: jest.SpyInstance[] = [
      ...[process.stdout, process.stderr].map((stream) =>
        jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
          output.push(String(chunk));
          return true;
        }),
      ),
      ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((method) =>
        jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
          output.push(args.map(String).join(' '));
        }),
      ),
    ];
    const previousLevel = process.env['POWERTOOLS_LOG_LEVEL'];
    logger.setLogLevel('DEBUG');
    const passwords: string[] = [];
    const tokens: string[] = [];
    const secretPassword = () => {
      const password = `Pw-${randomBytes(12).toString('base64url')}`;
      passwords.push(password);
      return password;
    };
    try {
      // Accounts and logins: success, wrong password, unknown name, disabled account, the token endpoint.
      const userPassword = secretPassword();
      const user = await registerUser(uniqueUsername('full'), userPassword);
      const userToken = await tokenFor(user.username, userPassword);
      tokens.push(userToken);
      await loginResponse(user.username, secretPassword());
      await loginResponse(uniqueUsername('ghost'), secretPassword());
      await oauthToken(httpEvent({ method: 'POST', resource: '/oauth/token', form: { grant_type: 'password', username: user.username, password: userPassword } }), lambdaContext());
      await oauthToken(httpEvent({ method: 'POST', resource: '/oauth/token', form: { grant_type: 'password', username: user.username, password: secretPassword() } }), lambdaContext());

      // Administration: create, list, get, disable (then the disabled login), delete.
      const admin = await createAdmin();
      tokens.push(admin.token);
      const asAdmin = async (input: HttpEventInput) => authorizedEvent(admin.token, input);
      const otherPassword = secretPassword();
      const created = bodyOf(await adminCreateUser(await asAdmin({ method: 'POST', resource: '/admin/users', json: { username: uniqueUsername('made'), password: otherPassword, roles: ['user'] } }), lambdaContext()));
      const id = String(created['id']);
      await adminListUsers(await asAdmin({ method: 'GET', resource: '/admin/users', query: { limit: '2' } }), lambdaContext());
      await adminGetUser(await asAdmin({ method: 'GET', resource: '/admin/users/{id}', pathParameters: { id } }), lambdaContext());
      await adminUpdateUser(await asAdmin({ method: 'PATCH', resource: '/admin/users/{id}', pathParameters: { id }, json: { disabled: true } }), lambdaContext());
      await loginResponse(String(created['username']), otherPassword);
      await adminDeleteUser(await asAdmin({ method: 'DELETE', resource: '/admin/users/{id}', pathParameters: { id } }), lambdaContext());

      // The authorizer: allowed, denied, and refused in several ways.
      const [header, payload, signature] = userToken.split('.');
      const forged = `${header}.${Buffer.from(JSON.stringify({ sub: user.id, scope: 'users:write' })).toString('base64url')}.${signature}`;
      await authorizer(authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${userToken}` } }), lambdaContext());
      await authorizer(authorizerEvent({ method: 'GET', path: '/admin/users', headers: { Authorization: `Bearer ${userToken}` } }), lambdaContext());
      for (const event of [
        authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${forged}` } }),
        authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${header}.${payload}.` } }),
        authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Basic ${Buffer.from(`${user.username}:${userPassword}`).toString('base64')}` } }),
        authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${userToken}` }, multiValueHeaders: { Authorization: [`Bearer ${userToken}`, `Bearer ${admin.token}`] } }),
        authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${userToken}` }, query: { access_token: userToken } }),
      ]) {
        await expect(authorizer(event, lambdaContext())).rejects.toThrow('Unauthorized');
      }

      // Bad bodies that carry a password, and an unexpected error.
      const carried = secretPassword();
      for (const input of [
        { body: `{"username":"someone","password":"${carried}"`, headers: { 'Content-Type': 'application/json' } },
        { body: `{"username":"someone","password":"${carried}","__proto__":{"roles":["admin"]}}`, headers: { 'Content-Type': 'application/json' } },
        { body: `{"username":"someone","password":"${carried}","pad":"${'x'.repeat(17_000)}"}`, headers: { 'Content-Type': 'application/json' } },
        { body: `username=someone&password=${carried}&password=${carried}`, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } },
        { body: `{"username":"someone","password":"${carried}"}`, headers: { 'Content-Type': 'text/plain' } },
      ]) {
        await register(httpEvent({ method: 'POST', resource: '/auth/register', ...input }), lambdaContext());
        await login(httpEvent({ method: 'POST', resource: '/auth/login', ...input }), lambdaContext());
      }
      await me(httpEvent({ method: 'GET', resource: '/me' }), lambdaContext());

      // A storage outage, in a service built against a port nothing listens on.
      const previousEndpoint = process.env['DYNAMODB_ENDPOINT'];
      process.env['DYNAMODB_ENDPOINT'] = `http://127.0.0.1:${await freePort()}`;
      process.env['POWERTOOLS_LOG_LEVEL'] = 'DEBUG';
      try {
        await jest.isolateModulesAsync(async () => {
          const isolatedRegister = (await import('../../handlers/register')).handler;
          const isolatedLogin = (await import('../../handlers/login')).handler;
          const outagePassword = secretPassword();
          await isolatedRegister(httpEvent({ method: 'POST', resource: '/auth/register', json: { username: uniqueUsername('down'), password: outagePassword } }), lambdaContext());
          await isolatedLogin(httpEvent({ method: 'POST', resource: '/auth/login', json: { username: user.username, password: outagePassword } }), lambdaContext());
        });
      } finally {
        process.env['DYNAMODB_ENDPOINT'] = previousEndpoint;
      }
    } finally {
      spies.forEach((spy) => spy.mockRestore());
      logger.setLogLevel('SILENT');
      process.env['POWERTOOLS_LOG_LEVEL'] = previousLevel;
    }

    const all = output.join('\n');
    // Not vacuous: every kind of decision made it into the output.
    for (const message of ['login succeeded', 'login failed', 'authorization denied', 'authorization refused', 'unexpected error', 'storage unavailable']) {
      expect(all).toContain(message);
    }
    for (const reason of ['wrong_password', 'unknown_username', 'account_disabled', 'signature', 'no_bearer_token']) expect(all).toContain(reason);
    expect(passwords.length).toBeGreaterThan(5);
    const leaks = [
      ...passwords.filter((password) => all.includes(password)).map(() => 'a password'),
      ...tokens.filter((token) => all.includes(token) || all.includes(token.split('.')[2] ?? '-')).map(() => 'an access token'),
      ...(all.includes(process.env['JWT_SECRET'] ?? '-') ? ['the JWT secret'] : []),
      ...[
        ['a JWT', /eyJ[\w-]*\.[\w-]+\.[\w-]*/],
        ['a bcrypt hash', /\$2[aby]\$\d\d\$/],
        ['a stack trace', /\n\s+at \S|\bat [\w$.<>]+ \([^)]*:\d+:\d+\)/],
        ['a file path', new RegExp(`${process.cwd().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}|node_modules|\\.ts:\\d`)],
      ].flatMap(([what, pattern]) => ((pattern as RegExp).test(all) ? [`${String(what)}: ${(pattern as RegExp).exec(all)?.[0] ?? ''}`] : [])),
    ];
    expect(leaks).toEqual([]);
  }, 60_000);
});
