/*
 * Security state under concurrency and forgery (issue 12), on the real handlers and DynamoDB Local.
 * On Lambda a hundred copies of a function run at once, so every check here races many requests
 * against one another; each test failed on the check-then-act code that came before.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import jwt from 'jsonwebtoken';
import { randomBytes } from 'node:crypto';
import { handler as changePassword } from '../../handlers/change-password';
import { handler as listSessions } from '../../handlers/list-sessions';
import { handler as login } from '../../handlers/login';
import { handler as oauthToken } from '../../handlers/oauth-token';
import { handler as refresh } from '../../handlers/refresh';
import { handler as authorizer } from '../../handlers/authorizer';
import { config } from '../../lib/dependencies/config';
import type { LoginService } from '../../lib/auth/login-service';
import { documentClient, sessionRepository } from '../../lib/dependencies/storage';
import type { SessionRepository } from '../../lib/sessions/session-repository';
import type { AccountRepository } from '../../lib/accounts/account-repository';
import { DynamoDbAccountRepository } from '../../lib/accounts/dynamodb-account-repository';
import { tableName } from '../support/dynamodb';
import { loginServiceOn } from '../support/services';
import { authorizedEvent, authorizerEvent, bodyOf, httpEvent, lambdaContext } from '../support/events';
import { expectApiError, PASSWORD, registerUser } from './helpers';

interface Tokens {
  access_token: string;
  refresh_token: string;
}

const BURST = 24;
const WRONG = 'definitely not it';
const maxAttempts = () => config().loginThrottle.maxAttempts;

const loginWith = (username: string, password: string) =>
  login(httpEvent({ method: 'POST', resource: '/auth/login', json: { username, password } }), lambdaContext());
const passwordGrant = (username: string, password: string) =>
  oauthToken(httpEvent({ method: 'POST', resource: '/oauth/token', form: { grant_type: 'password', username, password } }), lambdaContext());
const refreshWith = (refreshToken: string) =>
  refresh(httpEvent({ method: 'POST', resource: '/auth/refresh', json: { refresh_token: refreshToken } }), lambdaContext());

async function logIn(username: string, password = PASSWORD): Promise<Tokens> {
  const response = await loginWith(username, password);
  if (response.statusCode !== 200) throw new Error(`login failed: ${response.statusCode} ${response.body}`);
  return bodyOf<Tokens>(response) as unknown as Tokens;
}

function sidOf(accessToken: string): string {
  return (jwt.decode(accessToken) as { sid: string }).sid;
}

/** The real authorizer's answer for a token on GET /me: Allow, Deny or Unauthorized. */
async function decide(token: string): Promise<string> {
  try {
    const result = await authorizer(authorizerEvent({ method: 'GET', path: '/me', headers: { Authorization: `Bearer ${token}` } }), lambdaContext('authorizer'));
    return (result.policyDocument.Statement[0] as { Effect: string }).Effect;
  } catch (error) {
    return (error as Error).message;
  }
}

/** How many answers show a password was checked (anything but the lock's 429). */
function checked(answers: readonly APIGatewayProxyResult[]): number {
  return answers.filter((answer) => answer.statusCode !== 429).length;
}

describe('lockout counts an attempt before it checks the password', () => {
  it(`checks at most LOGIN_MAX_ATTEMPTS of ${BURST} parallel logins, the right password last among them`, async () => {
    const user = await registerUser();

    const answers = await Promise.all([
      ...Array.from({ length: BURST - 1 }, () => loginWith(user.username, WRONG)),
      loginWith(user.username, PASSWORD),
    ]);

    expect(checked(answers)).toBeLessThanOrEqual(maxAttempts());
    const locked = answers.filter((answer) => answer.statusCode === 429);
    expect(locked.length).toBeGreaterThanOrEqual(BURST - maxAttempts());
    for (const answer of locked) expectApiError(answer, 429, 'too_many_requests');
    // One body for the right and the wrong password while locked.
    expect(new Set(locked.map((answer) => answer.body)).size).toBe(1);
  });

  it('holds on the token endpoint\'s password grant too, for an unknown name as for a known one', async () => {
    const known = await registerUser();
    const unknown = `ghost-${randomBytes(4).toString('hex')}`;

    const [knownAnswers, unknownAnswers] = await Promise.all([
      Promise.all(Array.from({ length: BURST }, () => passwordGrant(known.username, WRONG))),
      Promise.all(Array.from({ length: BURST }, () => passwordGrant(unknown, WRONG))),
    ]);

    expect(checked(knownAnswers)).toBeLessThanOrEqual(maxAttempts());
    expect(checked(unknownAnswers)).toBeLessThanOrEqual(maxAttempts());
  });

  it('holds on POST /me/password: a stolen access token cannot guess the current password in parallel', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);
    const attempt = async (current: string) =>
      changePassword(
        await authorizedEvent(tokens.access_token, {
          method: 'POST',
          resource: '/me/password',
          json: { current_password: current, new_password: 'the attacker owns it now' },
        }),
        lambdaContext(),
      );

    const answers = await Promise.all([...Array.from({ length: BURST - 1 }, () => attempt(WRONG)), attempt(PASSWORD)]);

    expect(checked(answers)).toBeLessThanOrEqual(maxAttempts());
  });
});

describe('revocation that no racing login escapes', () => {
  it('ends a session whose login checked the old password and wrote its session after the change', async () => {
    // The login runs on the real services and DynamoDB Local; only the moment its session write
    // is sent is held back until the password change has answered, as a slow Lambda would.
    const { owner, changed, racer } = await loginRacingPasswordChange(holdSessionWrites());

    expect(changed.statusCode).toBe(204);
    expect(await survivingSessions([racer], 'held login')).toEqual([]);
    expect(await decide(owner.access_token)).toBe('Allow');
    // The racer's session item may exist (written after the change's sweep), but it is not listed.
    const listed = await listSessions(await authorizedEvent(owner.access_token, { method: 'GET', resource: '/me/sessions' }), lambdaContext());
    expect(bodyOf<{ items: { id: string }[] }>(listed).items.map((item) => item.id)).toEqual([sidOf(owner.access_token)]);
  });

  it('opens nothing when the password changes between the read of the hash it checks and the read of the account', async () => {
    // Login reads the hash (on the username's claim), then the account while bcrypt runs: here the
    // account read is held back until the change has answered, so it sees the new hash and version.
    const { changed, racer } = await loginRacingPasswordChange(holdAccountReads());

    expect(changed.statusCode).toBe(204);
    expect(racer.statusCode).toBe(401);
    expect(await survivingSessions([racer], 'login with a stale hash')).toEqual([]);
  });
});

interface HeldLogin {
  readonly service: LoginService;
  /** Resolves when a login gets to the held step. */
  readonly reached: Promise<void>;
  readonly release: () => void;
}

/**
 * A user logs in on `held` with the right password; once that login is held, the user's other
 * session changes the password; then the login goes on. Its answer as a handler's would be.
 */
async function loginRacingPasswordChange(held: HeldLogin): Promise<{ owner: Tokens; changed: APIGatewayProxyResult; racer: APIGatewayProxyResult }> {
  const user = await registerUser();
  const owner = await logIn(user.username);
  const racingLogin = held.service.login(user.username, PASSWORD, { userAgent: 'racer' }).then(
    (tokens) => ({ statusCode: 200, body: JSON.stringify(tokens), headers: {} }) as APIGatewayProxyResult,
    (error: unknown) => ({ statusCode: 401, body: String((error as Error).name), headers: {} }) as APIGatewayProxyResult,
  );
  await held.reached;
  const changed = await changePassword(
    await authorizedEvent(owner.access_token, {
      method: 'POST',
      resource: '/me/password',
      json: { current_password: PASSWORD, new_password: 'a brand new password' },
    }),
    lambdaContext(),
  );
  held.release();
  return { owner, changed, racer: await racingLogin };
}

/** A point a login waits at: `arrive` marks it reached, `released` lets it go on. */
function holdPoint(): { reached: Promise<void>; arrive: () => void; released: Promise<void>; release: () => void } {
  let arrive = () => {};
  let release = () => {};
  const reached = new Promise<void>((resolve) => (arrive = resolve));
  const released = new Promise<void>((resolve) => (release = resolve));
  return { reached, arrive, released, release };
}

/** Which of these login answers still hold a working session: access token or refresh token. */
async function survivingSessions(answers: readonly APIGatewayProxyResult[], label: string): Promise<string[]> {
  const alive: string[] = [];
  for (const answer of answers.filter((response) => response.statusCode === 200)) {
    const tokens = bodyOf<Tokens>(answer) as unknown as Tokens;
    if ((await decide(tokens.access_token)) !== 'Unauthorized') alive.push(`${label}: access token`);
    if ((await refreshWith(tokens.refresh_token)).statusCode === 200) alive.push(`${label}: refresh`);
  }
  return alive;
}

/** The container's own login service, except that its session write waits (its password already checked). */
function holdSessionWrites(): HeldLogin {
  const { reached, arrive, released, release } = holdPoint();
  const repository = sessionRepository();
  const held: SessionRepository = Object.create(repository, {
    create: {
      value: async (...args: Parameters<SessionRepository['create']>) => {
        arrive();
        await released;
        return repository.create(...args);
      },
    },
  });
  return { service: loginServiceOn(documentClient(), { sessions: held }), reached, release };
}

/** The container's own login service, except that the account read it runs during the compare waits, and reads only then. */
function holdAccountReads(): HeldLogin {
  const { reached, arrive, released, release } = holdPoint();
  const repository = new DynamoDbAccountRepository(documentClient(), tableName());
  const held: AccountRepository = Object.create(repository, {
    findForLogin: {
      value: async (username: string) => {
        const lookup = await repository.findForLogin(username);
        const early = await lookup.account;
        arrive();
        return { passwordHash: lookup.passwordHash, account: released.then(() => (early === undefined ? undefined : repository.findById(early.id))) };
      },
    },
  });
  return { service: loginServiceOn(documentClient(), { accounts: held }), reached, release };
}

describe('reuse detection fires only on tokens the session issued', () => {
  it('a refresh token made up from the ids in an access token is a 401 and the session lives on', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);
    const { sub, sid } = jwt.decode(tokens.access_token) as { sub: string; sid: string };
    const real = Buffer.from(tokens.refresh_token, 'base64url');
    const ids = Buffer.concat([Buffer.from(sub.replace(/-/g, ''), 'hex'), Buffer.from(sid.replace(/-/g, ''), 'hex')]);
    const forged = Buffer.concat([ids, randomBytes(real.length - ids.length)]).toString('base64url');

    expectApiError(await refreshWith(forged), 401, 'invalid_grant');

    expect(await decide(tokens.access_token)).toBe('Allow');
    expect((await refreshWith(tokens.refresh_token)).statusCode).toBe(200);
  });
});

describe('refresh reuse interval', () => {
  it('ten parallel refreshes with one token all answer 200 with one successor, which then works', async () => {
    const user = await registerUser();
    const tokens = await logIn(user.username);

    const answers = await Promise.all(Array.from({ length: 10 }, () => refreshWith(tokens.refresh_token)));

    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(10).fill(200));
    const successors = new Set(answers.map((answer) => (bodyOf<Tokens>(answer) as unknown as Tokens).refresh_token));
    expect(successors.size).toBe(1);
    const [successor] = [...successors];
    for (const answer of answers) expect(await decide((bodyOf<Tokens>(answer) as unknown as Tokens).access_token)).toBe('Allow');
    expect((await refreshWith(String(successor))).statusCode).toBe(200);
  });

  it('a token two generations old ends the session, even inside the interval', async () => {
    const user = await registerUser();
    const first = await logIn(user.username);
    const second = bodyOf<Tokens>(await refreshWith(first.refresh_token)) as unknown as Tokens;
    const third = bodyOf<Tokens>(await refreshWith(second.refresh_token)) as unknown as Tokens;

    expectApiError(await refreshWith(first.refresh_token), 401, 'invalid_grant');

    expectApiError(await refreshWith(third.refresh_token), 401, 'invalid_grant');
    expect(await decide(third.access_token)).toBe('Unauthorized');
  });
});
