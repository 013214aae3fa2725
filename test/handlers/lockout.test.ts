import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { handler as login } from '../../handlers/login';
import { handler as oauthToken } from '../../handlers/oauth-token';
import { DynamoDbLoginAttemptStore } from '../../lib/auth/dynamodb-login-attempt-store';
import { LoginService } from '../../lib/auth/login-service';
import { LoginThrottle } from '../../lib/auth/login-throttle';
import { TooManyAttemptsError } from '../../lib/errors';
import { config } from '../../lib/dependencies/config';
import { countingClient, tableName } from '../support/dynamodb';
import { loginServiceOn } from '../support/services';
import { httpEvent, lambdaContext, uniqueUsername } from '../support/events';
import { expectApiError, PASSWORD, registerUser } from './helpers';

const WRONG = 'definitely not it';
const client = countingClient().client;

/** The real services on DynamoDB Local with a clock the test moves: 3 attempts per minute, then 60 s, 120 s, … */
function servicesAt(clock: { now: number }, windowSeconds = 60): LoginService {
  return loginServiceOn(client, { clock: () => clock.now, throttle: { maxAttempts: 3, windowSeconds, lockoutSeconds: 60 } });
}

const client_ = { userAgent: undefined };

async function outcome(service: LoginService, username: string, password: string): Promise<string> {
  try {
    await service.login(username, password, client_);
    return 'ok';
  } catch (error) {
    return error instanceof TooManyAttemptsError ? `locked ${error.retryAfterSeconds}` : (error as { code?: string }).code ?? 'unexpected';
  }
}

describe('brute-force lockout', () => {
  it('locks a username after the limit, even against the right password, until the lock passes', async () => {
    const user = await registerUser();
    const clock = { now: Date.UTC(2030, 0, 1) };
    const service = servicesAt(clock);

    const answers = [];
    for (let i = 0; i < 3; i += 1) answers.push(await outcome(service, user.username, WRONG));
    answers.push(await outcome(service, user.username, PASSWORD));

    expect(answers).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'locked 60']);
    clock.now += 59_000;
    expect(await outcome(service, user.username, PASSWORD)).toBe('locked 1');
    clock.now += 1_000;
    expect(await outcome(service, user.username, PASSWORD)).toBe('ok');
  });

  it('locks unknown usernames exactly like existing ones, so the answer tells nothing', async () => {
    const clock = { now: Date.UTC(2030, 0, 1) };
    const service = servicesAt(clock);
    const existing = (await registerUser()).username;
    const unknown = uniqueUsername('ghost');

    const answers = async (username: string) => {
      const seen = [];
      for (let i = 0; i < 4; i += 1) seen.push(await outcome(service, username, WRONG));
      return seen;
    };

    expect(await answers(unknown)).toEqual(await answers(existing));
    expect(await answers(`not a valid name ${randomUUID()}`)).toEqual(['invalid_credentials', 'invalid_credentials', 'invalid_credentials', 'locked 60']);
  });

  it('makes each further lock twice as long', async () => {
    const user = await registerUser();
    const clock = { now: Date.UTC(2030, 0, 1) };
    const service = servicesAt(clock);
    for (let i = 0; i < 3; i += 1) await outcome(service, user.username, WRONG);
    expect(await outcome(service, user.username, WRONG)).toBe('locked 60');
    clock.now += 60_000;

    for (let i = 0; i < 3; i += 1) await outcome(service, user.username, WRONG);

    expect(await outcome(service, user.username, WRONG)).toBe('locked 120');
  });

  it('counts case and full-width variants of a name as that one name', async () => {
    const user = await registerUser();
    const service = servicesAt({ now: Date.UTC(2030, 0, 1) });
    const fullWidth = [...user.username].map((c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)).join('');

    for (const variant of [user.username.toUpperCase(), fullWidth, user.username]) await outcome(service, variant, WRONG);

    expect(await outcome(service, user.username, PASSWORD)).toBe('locked 60');
  });

  it('counts afresh after a lock that ends inside the failure window (window 600 s, lock 60 s)', async () => {
    const user = await registerUser();
    const clock = { now: Date.UTC(2030, 0, 1) };
    const service = servicesAt(clock, 600);
    for (let i = 0; i < 3; i += 1) await outcome(service, user.username, WRONG);
    expect(await outcome(service, user.username, WRONG)).toBe('locked 60');
    clock.now += 60_000;

    for (let i = 0; i < 3; i += 1) await outcome(service, user.username, WRONG);

    expect(await outcome(service, user.username, WRONG)).toBe('locked 120');
  });

  it('caps a lock at a day, however many came before it', async () => {
    const user = await registerUser();
    const clock = { now: Date.UTC(2030, 0, 1) };
    const service = servicesAt(clock);
    const locks: string[] = [];
    for (let lock = 0; lock < 12; lock += 1) {
      for (let i = 0; i < 3; i += 1) await outcome(service, user.username, WRONG);
      const locked = await outcome(service, user.username, WRONG);
      locks.push(locked);
      clock.now += Number(locked.replace('locked ', '')) * 1000;
    }

    // 60 s doubling: 60, 120, … 61 440, then 122 880 would pass a day.
    expect(locks.slice(-2)).toEqual(['locked 61440', 'locked 86400']);
  });

  it('starts the doubling again after a successful login', async () => {
    const user = await registerUser();
    const clock = { now: Date.UTC(2030, 0, 1) };
    const service = servicesAt(clock);
    for (let i = 0; i < 3; i += 1) await outcome(service, user.username, WRONG);
    expect(await outcome(service, user.username, WRONG)).toBe('locked 60');
    clock.now += 60_000;
    expect(await outcome(service, user.username, PASSWORD)).toBe('ok');

    for (let i = 0; i < 3; i += 1) await outcome(service, user.username, WRONG);

    expect(await outcome(service, user.username, WRONG)).toBe('locked 60');
  });

  it('forgets the failures after a successful login, and after the window passes', async () => {
    const user = await registerUser();
    const clock = { now: Date.UTC(2030, 0, 1) };
    const service = servicesAt(clock);
    for (let i = 0; i < 2; i += 1) await outcome(service, user.username, WRONG);

    expect(await outcome(service, user.username, PASSWORD)).toBe('ok');
    for (let i = 0; i < 2; i += 1) expect(await outcome(service, user.username, WRONG)).toBe('invalid_credentials');
    clock.now += 61_000; // the window of those two failures has passed
    for (let i = 0; i < 2; i += 1) expect(await outcome(service, user.username, WRONG)).toBe('invalid_credentials');
    expect(await outcome(service, user.username, PASSWORD)).toBe('ok');
  });

  it('counts failed password changes towards the same lock', async () => {
    const user = await registerUser();
    const clock = { now: Date.UTC(2030, 0, 1) };
    const service = servicesAt(clock);
    const caller = { accountId: user.id, sessionId: randomUUID() };
    const change = () =>
      service.changePassword(caller, WRONG, 'another long password').then(
        () => 'ok',
        (error: { code?: string }) => error.code,
      );

    expect([await change(), await change(), await change(), await change()]).toEqual([
      'wrong_password',
      'wrong_password',
      'wrong_password',
      'too_many_attempts',
    ]);
    expect(await outcome(service, user.username, PASSWORD)).toBe('locked 60');
  });

  it('keeps counters in DynamoDB with a ttl, never the username in clear', async () => {
    const username = uniqueUsername('ttl');
    const clock = { now: Date.now() };
    const service = servicesAt(clock);
    await outcome(service, username, WRONG);
    const throttle = new LoginThrottle(new DynamoDbLoginAttemptStore(client, tableName()), config().loginThrottle, Date.now);

    const item = await client.send(new GetCommand({ TableName: tableName(), Key: { pk: `LOGIN#${throttle.keyFor(username)}`, sk: 'ATTEMPTS' } }));

    expect(item.Item).toMatchObject({ failures: 1, ttl: expect.any(Number) });
    expect(Number(item.Item?.['ttl'])).toBeGreaterThan(Math.floor(clock.now / 1000));
    expect(JSON.stringify(item.Item)).not.toContain(username);
  });

  it('answers 429 too_many_requests with Retry-After from the login handlers (default: 5 attempts)', async () => {
    const user = await registerUser();
    const attempt = (password: string) =>
      login(httpEvent({ method: 'POST', resource: '/auth/login', json: { username: user.username, password } }), lambdaContext());
    for (let i = 0; i < config().loginThrottle.maxAttempts; i += 1) expectApiError(await attempt(WRONG), 401, 'invalid_grant');

    const locked = await attempt(PASSWORD);

    expectApiError(locked, 429, 'too_many_requests');
    const retryAfter = Number(locked.headers?.['Retry-After']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(config().loginThrottle.lockoutSeconds);
    const oauth = await oauthToken(
      httpEvent({ method: 'POST', resource: '/oauth/token', form: { grant_type: 'password', username: user.username, password: PASSWORD } }),
      lambdaContext(),
    );
    expectApiError(oauth, 429, 'too_many_requests');
    expect(oauth.headers?.['Retry-After']).toBeDefined();
  });
});
