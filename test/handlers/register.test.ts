import { handler as register } from '../../handlers/register';
import { bodyOf, httpEvent, lambdaContext, uniqueUsername } from '../support/events';
import { expectApiError, loginResponse, PASSWORD, tokenFor } from './helpers';

const registerWith = (input: Partial<Parameters<typeof httpEvent>[0]>) =>
  register(httpEvent({ method: 'POST', resource: '/auth/register', ...input }), lambdaContext());

describe('POST /auth/register', () => {
  it('creates an account with the user role and answers 201 with its id, normalised username and roles', async () => {
    const name = uniqueUsername('Carol');
    const response = await registerWith({ json: { username: name, password: PASSWORD } });
    expect(response.statusCode).toBe(201);
    expect(bodyOf(response)).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), username: name.toLowerCase(), roles: ['user'] });
    await expect(tokenFor(name)).resolves.toEqual(expect.any(String));
  });

  it('treats case and width variants of a name as one account: 409 conflict', async () => {
    const suffix = uniqueUsername('').slice(1);
    const first = await registerWith({ json: { username: `alice${suffix}`, password: PASSWORD } });
    expect(first.statusCode).toBe(201);
    const fullWidth = `ＡＬＩＣＥ${suffix}`;
    expectApiError(await registerWith({ json: { username: fullWidth, password: PASSWORD } }), 409, 'conflict');
    expectApiError(await registerWith({ json: { username: `ALICE${suffix}`, password: PASSWORD } }), 409, 'conflict');
    expect((await loginResponse(fullWidth)).statusCode).toBe(200);
  });

  it('lets exactly one of two concurrent registrations of one name win, every time', async () => {
    for (let round = 0; round < 10; round += 1) {
      const name = uniqueUsername('race');
      const results = await Promise.all([
        registerWith({ json: { username: name, password: PASSWORD } }),
        registerWith({ json: { username: name.toUpperCase(), password: `${PASSWORD}!` } }),
      ]);
      expect(results.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    }
  });

  it('refuses a roles field: nobody grants themselves a role', async () => {
    const name = uniqueUsername();
    expectApiError(await registerWith({ json: { username: name, password: PASSWORD, roles: ['admin'] } }), 400, 'invalid_request');
    expect((await loginResponse(name)).statusCode).toBe(401);
  });

  it.each([
    ['malformed JSON', { body: '{"username": "x",', headers: { 'Content-Type': 'application/json' } }, 400, 'invalid_request'],
    ['an empty body', { body: '', headers: { 'Content-Type': 'application/json' } }, 400, 'invalid_request'],
    ['a JSON array', { json: [] }, 400, 'invalid_request'],
    ['JSON null', { json: null, body: 'null', headers: { 'Content-Type': 'application/json' } }, 400, 'invalid_request'],
    ['a missing password', { json: { username: 'someone-new' } }, 400, 'invalid_request'],
    ['a numeric username', { json: { username: 12345, password: PASSWORD } }, 400, 'invalid_request'],
    ['empty strings', { json: { username: '', password: '' } }, 400, 'invalid_request'],
    ['a __proto__ key', { body: `{"username":"protouser","password":"${PASSWORD}","__proto__":{"admin":true}}`, headers: { 'Content-Type': 'application/json' } }, 400, 'invalid_request'],
    ['a username with a space', { json: { username: 'two words', password: PASSWORD } }, 400, 'invalid_request'],
    ['a mixed-script username', { json: { username: '\u0430dmin-x', password: PASSWORD } }, 400, 'invalid_request'],
    ['a password of 19 emoji (76 bytes)', { json: { username: 'emoji-user', password: '😀'.repeat(19) } }, 400, 'invalid_request'],
    ['a short password', { json: { username: 'short-pw-user', password: 'abc' } }, 400, 'invalid_request'],
    ['text/plain', { body: `{"username":"plainuser","password":"${PASSWORD}"}`, headers: { 'Content-Type': 'text/plain' } }, 415, 'unsupported_media_type'],
    ['no content type', { body: `{"username":"nocontent","password":"${PASSWORD}"}` }, 415, 'unsupported_media_type'],
    ['a body over 16 KiB', { json: { username: 'big-user', password: PASSWORD, pad: 'x'.repeat(17_000) } }, 413, 'payload_too_large'],
  ] as const)('answers %s with an API error and creates nothing', async (_name, input, status, error) => {
    const response = await registerWith(input as Partial<Parameters<typeof httpEvent>[0]>);
    expectApiError(response, status, error);
    expect(response.body).not.toMatch(/at \w+ \(|\.ts:|node_modules/);
  });

  it('refuses two Content-Type headers (400) rather than pick one, and creates nothing', async () => {
    const username = uniqueUsername('twotypes');
    const event = httpEvent({ method: 'POST', resource: '/auth/register', json: { username, password: PASSWORD } });
    const response = await register(
      { ...event, multiValueHeaders: { ...event.multiValueHeaders, 'Content-Type': ['application/json', 'text/plain'] } },
      lambdaContext(),
    );
    expectApiError(response, 400, 'invalid_request');
    expect((await loginResponse(username)).statusCode).toBe(401);
  });

  it('created nothing for the refused requests above', async () => {
    for (const name of ['protouser', 'emoji-user', 'short-pw-user', 'plainuser', 'nocontent', 'big-user']) {
      expect((await loginResponse(name)).statusCode).toBe(401);
    }
  });

  it('answers 404 when self-registration is switched off', async () => {
    const previous = process.env['ALLOW_SIGNUP'];
    process.env['ALLOW_SIGNUP'] = 'false';
    try {
      let isolated: typeof register = register;
      await jest.isolateModulesAsync(async () => {
        isolated = (await import('../../handlers/register')).handler;
      });
      expect(isolated).not.toBe(register);
      const name = uniqueUsername();
      const response = await isolated(httpEvent({ method: 'POST', resource: '/auth/register', json: { username: name, password: PASSWORD } }), lambdaContext());
      expectApiError(response, 404, 'not_found');
      expect((await loginResponse(name)).statusCode).toBe(401);
    } finally {
      process.env['ALLOW_SIGNUP'] = previous;
    }
  });
});
