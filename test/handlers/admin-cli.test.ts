/**
 * The admin CLI (`npm run admin`) run as a child process, as an operator runs it, against the
 * DynamoDB Local of this test project. What it does is checked through the real login handler
 * and the account service, never through its own output alone.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { DynamoDbAccountRepository } from '../../lib/accounts/dynamodb-account-repository';
import { accountService } from '../../lib/dependencies/accounts';
import { AccountNotFoundError } from '../../lib/errors';
import { createDocumentClient } from '../../lib/storage/dynamodb';
import { freePort } from '../../scripts/local-dynamodb';
import { bodyOf, uniqueUsername } from '../support/events';
import { scopeOf } from '../support/protected-event';
import { expectApiError, loginResponse } from './helpers';

// Each run starts a Node process (tsx) and, for create-user, hashes with bcrypt.
jest.setTimeout(60_000);

const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const ADMIN = join(ROOT, 'scripts', 'admin.ts');
const COMMANDS = ['create-user', 'list-users', 'set-roles', 'disable', 'enable', 'revoke-sessions', 'delete-user'];

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** The DynamoDB Local and table of the handler tests (test/support/dynamodb-global-setup.ts). */
function local(): string[] {
  return ['--endpoint', process.env['DYNAMODB_ENDPOINT'] ?? '', '--table', process.env['TABLE_NAME'] ?? ''];
}

function run(command: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

const admin = (args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}) => run(TSX, [ADMIN, ...args], options);

const newPassword = () => `pw ${randomBytes(9).toString('base64url')}`;

/** A failure: the exit status, and one line on stderr that says what it was, with no stack trace. */
function expectFailure(result: Run, code: number, message: RegExp): void {
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code, stderr: expect.stringMatching(message) });
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(/^admin: /);
  expect(result.stderr).not.toMatch(/\n\s+at |\.ts:\d+|node_modules/);
  expect(result.stdout).toBe('');
}

function expectNoSecret(results: readonly Run[], secret: string): void {
  for (const result of results) expect(result.stdout + result.stderr).not.toContain(secret);
}

async function createUser(roles: string[] = ['user'], username = uniqueUsername('cli')): Promise<{ id: string; username: string; password: string }> {
  const password = newPassword();
  const result = await admin(['create-user', '--username', username, ...roles.flatMap((role) => ['--role', role]), '--json', ...local()], {
    input: `${password}\n`,
  });
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  expectNoSecret([result], password);
  const created = JSON.parse(result.stdout) as { id: string; username: string };
  return { id: created.id, username: created.username, password };
}

async function scopeAfterLogin(username: string, password: string): Promise<string> {
  const response = await loginResponse(username, password);
  expect(response.statusCode).toBe(200);
  return bodyOf<{ scope: string }>(response).scope;
}

describe('npm run admin: help', () => {
  it('lists every command with --help, and each command explains itself with --help', async () => {
    const overview = await admin(['--help']);

    expect({ code: overview.code, stderr: overview.stderr }).toEqual({ code: 0, stderr: '' });
    for (const command of COMMANDS) expect(overview.stdout).toMatch(new RegExp(`^  ${command} `, 'm'));
    expect(overview.stdout).toMatch(/Exit status: 0 done, 2 bad arguments, 3 user exists, 4 user not found/);
    const helps = await Promise.all(COMMANDS.map((command) => admin([command, '--help'])));
    helps.forEach((help, index) =>
      expect({ code: help.code, usage: help.stdout.split('\n')[0] }).toEqual({
        code: 0,
        usage: expect.stringMatching(new RegExp(`^Usage: npm run admin -- ${COMMANDS[index] ?? ''}\\b`)),
      }),
    );
  });

  it('runs as the npm script the README names', async () => {
    const result = await run('npm', ['run', '--silent', 'admin', '--', '--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^Usage: npm run admin -- <command>/);
  });

  it('with no command prints the overview to stderr and exits 2', async () => {
    const result = await admin([]);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Usage: npm run admin/);
  });
});

describe('npm run admin create-user', () => {
  it('creates an account from a piped password that logs in through the real login handler', async () => {
    const username = uniqueUsername('cli');
    const password = newPassword();

    const result = await admin(['create-user', '--username', username, '--role', 'admin', ...local()], { input: `${password}\n` });

    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(new RegExp(`^created "${username}" \\(id [0-9a-f-]{36}, roles admin\\)\\n$`));
    expectNoSecret([result], password);
    expect(await scopeAfterLogin(username, password)).toBe(scopeOf(['admin']));
  });

  it('refuses a name that is taken in any case with exit 3, and leaves the account as it was', async () => {
    const user = await createUser();
    const second = newPassword();

    const result = await admin(['create-user', '--username', user.username.toUpperCase(), '--role', 'admin', ...local()], { input: second });

    expectFailure(result, 3, /already exists/);
    expectNoSecret([result], second);
    expect(await scopeAfterLogin(user.username, user.password)).toBe(scopeOf(['user']));
    expectApiError(await loginResponse(user.username, second), 401, 'invalid_grant');
  });

  it('reads the password from a terminal prompt with echo off', async () => {
    const username = uniqueUsername('tty');
    const password = newPassword();
    const command = [TSX, ADMIN, 'create-user', '--username', username, '--role', 'user', ...local()].map((part) => `'${part}'`).join(' ');

    // script(1) gives the CLI a real terminal; its output is everything the terminal showed.
    const transcript = await typeIntoTerminal(command, [
      ['Password: ', `${password}\r`],
      ['Repeat the password: ', `${password}\r`],
    ]);
    // The control: the same terminal shows what is typed into a program that leaves echo on.
    const echoed = await typeIntoTerminal('head -n 1 >/dev/null', [['', 'typed-and-shown\r']]);

    expect(echoed.text).toContain('typed-and-shown');
    expect(transcript.code).toBe(0);
    expect(transcript.text).toContain(`created "${username}"`);
    expect(transcript.text).not.toContain(password);
    expect(await scopeAfterLogin(username, password)).toBe(scopeOf(['user']));
  });

  it.each([
    ['a password of 7 bytes', 'short12\n', /password must be at least 8 bytes/],
    ['two lines on stdin', 'first line pw\nsecond line pw\n', /single line/],
    ['nothing on stdin', '', /no password on stdin/],
  ])('refuses %s with exit 2 and creates nothing', async (_name, input, message) => {
    const username = uniqueUsername('cli');

    const result = await admin(['create-user', '--username', username, '--role', 'user', ...local()], { input });

    expectFailure(result, 2, message);
    for (const line of input.split('\n').filter((line) => line !== '')) expectNoSecret([result], line);
    await expect(accountService().findAccount(username)).rejects.toThrow(AccountNotFoundError);
  });
});

describe('npm run admin: bad arguments exit 2 before anything is written', () => {
  it.each([
    ['a --password option', ['create-user', '--username', 'cli-pw-arg', '--role', 'user', '--password', 'on-the-command-line'], /no --password option/],
    ['create-user without --role', ['create-user', '--username', 'cli-no-role'], /at least one --role/],
    ['an unknown role', ['create-user', '--username', 'cli-bad-role', '--role', 'wizard'], /unknown role "wizard"/],
    ['an invalid username', ['create-user', '--username', 'a b', '--role', 'user'], /username may hold only/],
    ['an unknown command', ['frobnicate'], /unknown command "frobnicate"/],
    ['an unknown option', ['list-users', '--verbose'], /Unknown option '--verbose'/],
    ['a missing account argument', ['disable'], /disable takes one <id\|username>/],
    ['a --limit out of range', ['list-users', '--limit', '500'], /--limit must be a whole number from 1 to 100/],
    ['--stage with --endpoint', ['list-users', '--stage', 'prod', '--endpoint', 'http://127.0.0.1:1'], /--endpoint and --table are for DynamoDB Local/],
    ['delete-user without --yes', ['delete-user', 'somebody'], /add --yes to confirm/],
  ])('%s', async (_name, args, message) => {
    const result = await admin([...args, ...(args.includes('--stage') ? [] : local())], { input: 'a piped password\n' });

    expectFailure(result, 2, message);
    expectNoSecret([result], 'on-the-command-line');
  });
});

describe('npm run admin: managing accounts', () => {
  it('answers a user that does not exist with exit 4, for every command that names one', async () => {
    const missing = uniqueUsername('ghost');

    const commands = [['set-roles', missing, '--role', 'user'], ['disable', missing], ['enable', missing], ['revoke-sessions', missing], ['delete-user', missing, '--yes']];
    const results = await Promise.all(commands.map((args) => admin([...args, ...local()])));
    for (const result of results) expectFailure(result, 4, new RegExp(`no user has the id or username "${missing}"`));
    // An id-shaped argument that is nobody's id is looked up as a username too, and is not found.
    expectFailure(await admin(['disable', '6f1c2b44-8d0e-4c1a-9b7e-2f3a4b5c6d7e', ...local()]), 4, /no user has/);
  });

  it('lists accounts a page at a time, and every page with --all, without password hashes', async () => {
    const created = [await createUser(), await createUser()];

    const everything = await admin(['list-users', '--all', '--json', ...local()]);
    const first = await admin(['list-users', '--limit', '1', '--json', ...local()]);
    const firstPage = JSON.parse(first.stdout) as { items: { id: string }[]; next_cursor: string };
    const second = await admin(['list-users', '--limit', '1', '--cursor', firstPage.next_cursor, '--json', ...local()]);
    const text = await admin(['list-users', '--limit', '100', ...local()]);

    expect(everything.code).toBe(0);
    const all = JSON.parse(everything.stdout) as { items: { id: string; username: string }[]; next_cursor: null };
    expect(all.next_cursor).toBeNull();
    for (const user of created) expect(all.items).toContainEqual(expect.objectContaining({ id: user.id, username: user.username }));
    expect(everything.stdout).not.toMatch(/\$2[aby]\$|password|hash/i);
    expect(firstPage.items).toHaveLength(1);
    const secondPage = JSON.parse(second.stdout) as { items: { id: string }[] };
    expect(secondPage.items).toHaveLength(1);
    expect(secondPage.items[0]?.id).not.toBe(firstPage.items[0]?.id);
    expect(text.stdout.split('\n')[0]).toMatch(/^ID\s+USERNAME\s+ROLES\s+DISABLED\s+CREATED$/);
  });

  it('sets the roles of an account named by username or by id', async () => {
    const user = await createUser(['user']);

    const byName = await admin(['set-roles', user.username, '--role', 'admin', '--role', 'user', ...local()]);
    expect(byName.code).toBe(0);
    expect(await scopeAfterLogin(user.username, user.password)).toBe(scopeOf(['admin']));

    const byId = await admin(['set-roles', user.id, '--role', 'user', ...local()]);
    expect(byId.code).toBe(0);
    expect(byId.stdout).toMatch(/roles user\).*sessions were ended/);
    expect((await accountService().getAccount(user.id)).roles).toEqual(['user']);
  });

  it('disables an account so that it cannot log in, and enables it again', async () => {
    const user = await createUser();

    expect((await admin(['disable', user.username, ...local()])).code).toBe(0);
    expectApiError(await loginResponse(user.username, user.password), 401, 'invalid_grant');
    expect((await admin(['enable', user.id, ...local()])).code).toBe(0);

    expect(await scopeAfterLogin(user.username, user.password)).toBe(scopeOf(['user']));
  });

  it('revokes the sessions of an account by bumping its token version', async () => {
    const user = await createUser();
    const db = createDocumentClient({ region: 'us-east-1', endpoint: process.env['DYNAMODB_ENDPOINT'] });
    const repository = new DynamoDbAccountRepository(db, process.env['TABLE_NAME'] ?? '');
    try {
      const before = (await repository.findById(user.id))?.tokenVersion;

      const result = await admin(['revoke-sessions', user.username, ...local()]);

      expect(result.code).toBe(0);
      expect(before).toEqual(expect.any(Number));
      expect((await repository.findById(user.id))?.tokenVersion).toBe((before ?? 0) + 1);
    } finally {
      db.destroy();
    }
  });

  it('deletes an account with --yes: it cannot log in and its name is free again', async () => {
    const user = await createUser();

    const refused = await admin(['delete-user', user.username, ...local()]);
    expectFailure(refused, 2, /--yes/);
    expect((await accountService().getAccount(user.id)).username).toBe(user.username);

    const result = await admin(['delete-user', user.username, '--yes', ...local()]);
    expect(result.code).toBe(0);
    expectApiError(await loginResponse(user.username, user.password), 401, 'invalid_grant');
    await expect(accountService().getAccount(user.id)).rejects.toThrow(AccountNotFoundError);
    await expect(accountService().createAccount({ username: user.username, password: newPassword(), roles: ['user'] })).resolves.toBeDefined();
  });
});

describe('npm run admin: when the store cannot be used', () => {
  it('exits 7 with one clear line when DynamoDB does not answer', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;

    const result = await admin(['list-users', '--endpoint', closed, '--table', 'serverless-auth-test']);

    expectFailure(result, 7, new RegExp(`DynamoDB Local did not answer at ${closed.replace(/\./g, '\\.')}`));
  });

  it('exits 6 when the table does not exist', async () => {
    const result = await admin(['list-users', '--endpoint', process.env['DYNAMODB_ENDPOINT'] ?? '', '--table', 'no-such-table']);

    expectFailure(result, 6, /table no-such-table .* does not exist/);
  });

  it('exits 5 when a deployed stage is named and no AWS credentials can be found', async () => {
    // Nothing from this machine's AWS setup: no variables, files or instance metadata. The SDK
    // stops before any request when it finds no credentials, so nothing reaches AWS.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: join(ROOT, 'no-such-home'),
      AWS_CONFIG_FILE: join(ROOT, 'no-such-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(ROOT, 'no-such-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };

    const result = await admin(['list-users', '--stage', 'cli-test'], { env });

    expectFailure(result, 5, /no AWS credentials found/);
  });
});

/**
 * Runs a shell command under script(1), which gives it a pseudo-terminal, and types each answer
 * once the terminal shows the text it waits for. Returns the exit status and what was shown.
 */
function typeIntoTerminal(command: string, steps: readonly (readonly [string, string])[]): Promise<{ code: number | null; text: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['--quiet', '--return', '--flush', '--command', command, '/dev/null'], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let text = '';
    let next = 0;
    let shownUpTo = 0;
    const advance = () => {
      const step = steps[next];
      if (step === undefined) return;
      const at = text.indexOf(step[0], shownUpTo);
      if (at === -1) return;
      shownUpTo = at + step[0].length;
      next += 1;
      child.stdin.write(step[1]);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      text += chunk;
      advance();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, text }));
    advance();
  });
}
