/**
 * `npm run admin -- <command>`: account administration from a terminal, through the same
 * AccountService the admin routes use. Targets DynamoDB Local as `npm start` runs it, or a
 * deployed stage's table with --stage. Passwords are read from the terminal (echo off) or from
 * stdin, never from arguments or the environment. Run with --help for the commands.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { OPERATOR_ACTOR, type AccountService } from '../lib/accounts/account-service';
import type { AccountView } from '../lib/accounts/account';
import { normaliseUsername } from '../lib/accounts/identifiers';
import { ConfigError, loadAccountConfig, type AccountConfig } from '../lib/config';
import { accountAdministration } from '../lib/dependencies/accounts';
import { AccountNotFoundError, LastAdminError, UsernameTakenError, ValidationError } from '../lib/errors';
import { isRole, ROLES, type Role } from '../lib/routes';
import { storeProblem } from '../lib/storage/dynamodb';
import {
  DEFAULT_DYNAMODB_PORT,
  defaultRegion,
  isStageName,
  loadDotEnv,
  LOCAL_STAGE,
  portFrom,
  SettingsError,
  tableNameFor,
} from './settings';

/** One exit status per kind of failure, so that scripts can tell them apart. */
const EXIT = {
  ok: 0,
  unexpected: 1,
  badArguments: 2,
  userExists: 3,
  userNotFound: 4,
  noCredentials: 5,
  tableMissing: 6,
  unreachable: 7,
  accessDenied: 8,
  interrupted: 130,
} as const;

/** A failure with a message for the operator and its exit status. */
class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const badArguments = (message: string) => new CliError(`${message} (see --help)`, EXIT.badArguments);

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

interface Target {
  readonly settings: AccountConfig;
  /** Where the operator is told to look when something is wrong. */
  readonly where: string;
  readonly deployed: boolean;
  readonly stage: string;
}

interface Context {
  readonly accounts: AccountService;
  readonly values: Values;
  readonly positionals: readonly string[];
  readonly json: boolean;
  readonly print: (line: string) => void;
}

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly details: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** How many positional arguments it takes (0 or 1). */
  readonly positionals: 0 | 1;
  /** Runs before any connection is made: refuse bad arguments without touching the table. */
  readonly check?: (values: Values) => void;
  readonly run: (context: Context) => Promise<void>;
}

const TARGET_OPTIONS = {
  stage: { type: 'string' },
  region: { type: 'string' },
  endpoint: { type: 'string' },
  table: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const satisfies ParseArgsConfig['options'];

const TARGET_HELP = `Target (default: DynamoDB Local as \`npm start\` runs it):
  --stage S        the deployed stage's table (${tableNameFor('S')}), standard AWS credentials
  --region R       with --stage: the stage's region (default ${defaultRegion()}, as serverless.yml)
  --endpoint URL   DynamoDB Local's address (default http://127.0.0.1:$DYNAMODB_PORT, port ${DEFAULT_DYNAMODB_PORT})
  --table NAME     the local table (default ${tableNameFor(LOCAL_STAGE)})
Output:
  --json           print JSON instead of text`;

const ACCOUNT_ARGUMENT = '<id|username>';

/** `disable` and `enable`: the same update with the flag set one way or the other. */
function setDisabledCommand(disabled: boolean): Command {
  const verb = disabled ? 'disable' : 'enable';
  return {
    summary: disabled ? 'disable an account (it cannot log in; its sessions end)' : 'enable a disabled account',
    usage: `${verb} ${ACCOUNT_ARGUMENT}`,
    details: disabled
      ? 'A disabled account cannot log in, and its sessions and access tokens stop working.'
      : 'The account can log in again with its password.',
    options: {},
    positionals: 1,
    run: async ({ accounts, positionals, json, print }) => {
      const account = await accounts.findAccount(positionals[0] ?? '');
      const updated = await accounts.updateAccount(OPERATOR_ACTOR, account.id, { disabled });
      print(json ? JSON.stringify(updated) : `${verb}d ${describe(updated)}`);
    },
  };
}

const COMMANDS: Record<string, Command> = {
  'create-user': {
    summary: 'create an account with the given roles',
    usage: 'create-user --username U --role R [--role R ...]',
    details: `The password is asked for twice with echo off when stdin is a terminal, or read from stdin
when piped (one line): printf '%s\\n' "$PW" | npm run admin -- create-user ...
It is never taken from the command line or the environment.`,
    options: { username: { type: 'string' }, role: { type: 'string', multiple: true } },
    positionals: 0,
    check: (values) => {
      if (typeof values['username'] !== 'string' || values['username'] === '') throw badArguments('create-user needs --username');
      // The service's own rule, checked before anyone types a password.
      const username = normaliseUsername(values['username']);
      if (!username.ok) throw badArguments(username.problem);
      rolesFrom(values);
    },
    run: async ({ accounts, values, json, print }) => {
      const username = String(values['username']);
      const roles = rolesFrom(values);
      const password = await readPassword();
      let created: AccountView;
      try {
        created = await accounts.createAccount({ username, password, roles });
      } catch (error) {
        if (error instanceof UsernameTakenError) throw new CliError(`a user named "${username}" already exists`, EXIT.userExists);
        throw error;
      }
      print(json ? JSON.stringify(created) : `created ${describe(created)}`);
    },
  },
  'list-users': {
    summary: 'list accounts in username order, a page at a time',
    usage: 'list-users [--limit N] [--cursor C | --all]',
    details: `--limit N   accounts per page, 1 to 100 (default 20)
--cursor C  the page after the one that printed this cursor
--all       every page, one after another`,
    options: { limit: { type: 'string' }, cursor: { type: 'string' }, all: { type: 'boolean' } },
    positionals: 0,
    check: (values) => {
      pageSize(values);
      if (values['all'] === true && values['cursor'] !== undefined) throw badArguments('give --cursor or --all, not both');
    },
    run: async ({ accounts, values, json, print }) => {
      const limit = pageSize(values);
      let cursor = typeof values['cursor'] === 'string' ? values['cursor'] : undefined;
      const items: AccountView[] = [];
      let next: string | null;
      do {
        const page = await accounts.listAccounts(limit, cursor);
        items.push(...page.items);
        next = page.next_cursor;
        cursor = next ?? undefined;
      } while (values['all'] === true && next !== null);
      if (json) {
        print(JSON.stringify({ items, next_cursor: next }));
        return;
      }
      printTable(items, print);
      if (next !== null) print(`next page: npm run admin -- list-users --limit ${limit} --cursor ${next}`);
    },
  },
  'set-roles': {
    summary: "replace an account's roles (ends its sessions)",
    usage: `set-roles ${ACCOUNT_ARGUMENT} --role R [--role R ...]`,
    details: 'The account keeps exactly the roles given. Its sessions and access tokens stop working.',
    options: { role: { type: 'string', multiple: true } },
    positionals: 1,
    check: (values) => void rolesFrom(values),
    run: async ({ accounts, values, positionals, json, print }) => {
      const account = await accounts.findAccount(positionals[0] ?? '');
      const updated = await accounts.updateAccount(OPERATOR_ACTOR, account.id, { roles: rolesFrom(values) });
      print(json ? JSON.stringify(updated) : `updated ${describe(updated)}; its sessions were ended`);
    },
  },
  disable: setDisabledCommand(true),
  enable: setDisabledCommand(false),
  'revoke-sessions': {
    summary: 'end every session and access token of an account',
    usage: `revoke-sessions ${ACCOUNT_ARGUMENT}`,
    details: 'Every refresh token and access token of the account stops working; it can log in again.',
    options: {},
    positionals: 1,
    run: async ({ accounts, positionals, json, print }) => {
      const account = await accounts.findAccount(positionals[0] ?? '');
      await accounts.revokeSessions(account.id);
      print(json ? JSON.stringify({ id: account.id, sessions_revoked: true }) : `ended every session of ${describe(account)}`);
    },
  },
  unlock: {
    summary: 'let a locked-out username log in again at once',
    usage: `unlock ${ACCOUNT_ARGUMENT}`,
    details: 'Forgets the failed-login count and any lock of the account\'s username (logged).',
    options: {},
    positionals: 1,
    run: async ({ accounts, positionals, json, print }) => {
      const account = await accounts.findAccount(positionals[0] ?? '');
      await accounts.unlock(OPERATOR_ACTOR, account.username);
      print(json ? JSON.stringify({ id: account.id, unlocked: true }) : `unlocked ${describe(account)}`);
    },
  },
  'delete-user': {
    summary: 'delete an account and free its username',
    usage: `delete-user ${ACCOUNT_ARGUMENT} --yes`,
    details: 'The account, its username and its sessions are gone for good: --yes confirms it.',
    options: { yes: { type: 'boolean' } },
    positionals: 1,
    check: (values) => {
      if (values['yes'] !== true) throw badArguments('delete-user removes the account for good: add --yes to confirm');
    },
    run: async ({ accounts, positionals, json, print }) => {
      const account = await accounts.findAccount(positionals[0] ?? '');
      await accounts.deleteAccount(OPERATOR_ACTOR, account.id);
      print(json ? JSON.stringify({ id: account.id, deleted: true }) : `deleted ${describe(account)}`);
    },
  },
};

const EXIT_HELP = `Exit status: 0 done, ${EXIT.badArguments} bad arguments, ${EXIT.userExists} user exists, ${EXIT.userNotFound} user not found,
  ${EXIT.noCredentials} no usable AWS credentials, ${EXIT.tableMissing} table missing, ${EXIT.unreachable} DynamoDB unreachable,
  ${EXIT.accessDenied} access denied, ${EXIT.unexpected} anything else.`;

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
  return [
    'Usage: npm run admin -- <command> [options]',
    '',
    'Account administration through the service\'s own account rules.',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(width)}  ${command.summary}`),
    '',
    `${ACCOUNT_ARGUMENT}: an account id, or a username (an id-shaped argument is tried as an id first).`,
    '',
    TARGET_HELP,
    '',
    EXIT_HELP,
    '',
    'npm run admin -- <command> --help shows one command.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return [`Usage: npm run admin -- ${command.usage} [target options]`, '', `${command.summary[0]?.toUpperCase() ?? ''}${command.summary.slice(1)}.`, command.details, '', TARGET_HELP, '', EXIT_HELP].join('\n');
}

function rolesFrom(values: Values): Role[] {
  const given = values['role'];
  const names = Array.isArray(given) ? given.map(String) : [];
  if (names.length === 0) throw badArguments(`give at least one --role (${ROLES.join(', ')})`);
  const unknown = names.find((name) => !isRole(name));
  if (unknown !== undefined) throw badArguments(`unknown role "${unknown}": the roles are ${ROLES.join(', ')}`);
  return names.filter(isRole);
}

function pageSize(values: Values): number {
  const raw = values['limit'];
  if (raw === undefined) return 20;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) throw badArguments('--limit must be a whole number from 1 to 100');
  return limit;
}

function describe(account: AccountView): string {
  const state = account.disabled ? ', disabled' : '';
  return `"${account.username}" (id ${account.id}, roles ${account.roles.join(', ') || 'none'}${state})`;
}

function printTable(items: readonly AccountView[], print: (line: string) => void): void {
  const rows = [
    ['ID', 'USERNAME', 'ROLES', 'DISABLED', 'CREATED'],
    ...items.map((item) => [item.id, item.username, item.roles.join(','), item.disabled ? 'yes' : 'no', item.created_at]),
  ];
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => [...(row[column] ?? '')].length))) ?? [];
  for (const row of rows) print(row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
  if (items.length === 0) print('(no accounts)');
}

/** Where the command works: DynamoDB Local by default, a deployed stage's table with --stage. */
function targetFrom(values: Values): Target {
  const stage = values['stage'];
  if (typeof stage === 'string') {
    if (values['endpoint'] !== undefined || values['table'] !== undefined) {
      throw badArguments('--endpoint and --table are for DynamoDB Local; --stage targets the deployed table');
    }
    if (!isStageName(stage)) throw badArguments(`--stage must be letters, digits and hyphens, not "${stage}"`);
    const region = typeof values['region'] === 'string' ? values['region'] : defaultRegion();
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region)) throw badArguments(`--region must be an AWS region name such as us-east-1, not "${region}"`);
    const tableName = tableNameFor(stage);
    // The deployed functions hash at BCRYPT_COST as it was at deploy time; 12 unless it was set.
    const settings = loadAccountConfig({ TABLE_NAME: tableName, AWS_REGION: region, BCRYPT_COST: process.env['BCRYPT_COST'] || '12' });
    return { settings, where: `table ${tableName} in ${region}`, deployed: true, stage };
  }
  if (values['region'] !== undefined) throw badArguments('--region goes with --stage (DynamoDB Local has no region)');
  loadDotEnv(); // as `npm start` does: DYNAMODB_PORT and BCRYPT_COST may be set there
  const endpoint = typeof values['endpoint'] === 'string' ? values['endpoint'] : `http://127.0.0.1:${portFrom('DYNAMODB_PORT', DEFAULT_DYNAMODB_PORT)}`;
  if (!isHttpUrl(endpoint)) throw badArguments(`--endpoint must be an http(s) URL, not "${endpoint}"`);
  const tableName = typeof values['table'] === 'string' ? values['table'] : tableNameFor(LOCAL_STAGE);
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(tableName)) throw badArguments(`--table is not a DynamoDB table name: "${tableName}"`);
  const settings = loadAccountConfig({
    TABLE_NAME: tableName,
    AWS_REGION: 'us-east-1',
    DYNAMODB_ENDPOINT: endpoint,
    BCRYPT_COST: process.env['BCRYPT_COST'] || '10',
  });
  return { settings, where: `table ${tableName} on DynamoDB Local at ${endpoint}`, deployed: false, stage: LOCAL_STAGE };
}

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** The operator-facing sentence and exit status for a failure of the store. */
function storeFailure(error: unknown, target: Target): CliError | undefined {
  const problem = storeProblem(error);
  const table = target.settings.tableName;
  switch (problem) {
    case 'no_credentials':
      return new CliError(
        'no AWS credentials found: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run `aws sso login`',
        EXIT.noCredentials,
      );
    case 'credentials_refused':
      return new CliError('AWS refused the credentials (expired or not valid): renew them and try again', EXIT.noCredentials);
    case 'access_denied':
      return new CliError(`the AWS credentials may not use ${target.where}: they need DynamoDB access to it`, EXIT.accessDenied);
    case 'table_missing':
      return new CliError(
        target.deployed
          ? `${target.where} does not exist: deploy the stage first (npx serverless deploy --stage ${target.stage}) or check --region`
          : `${target.where} does not exist: is this the DynamoDB Local that \`npm start\` runs? (--table ${table})`,
        EXIT.tableMissing,
      );
    case 'unreachable':
      return new CliError(
        target.deployed
          ? `DynamoDB did not answer for ${target.where}: check the network and try again`
          : `DynamoDB Local did not answer at ${target.settings.dynamodbEndpoint ?? ''}: is \`npm start\` running (DYNAMODB_PORT)?`,
        EXIT.unreachable,
      );
    case undefined:
      return undefined;
  }
}

/** Reads the password: hidden prompt on a terminal, else one line of stdin. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    const first = await promptHidden('Password: ');
    const second = await promptHidden('Repeat the password: ');
    if (first !== second) throw new CliError('the two passwords differ; nothing was created', EXIT.badArguments);
    return first;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk as Buffer));
  const text = Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
  if (text === '') throw badArguments('no password on stdin: pipe one line, or run in a terminal to be asked');
  if (/[\r\n]/.test(text)) throw badArguments('the password on stdin must be a single line');
  return text;
}

/** Asks on stderr with the terminal's echo off; Ctrl-C cancels. */
function promptHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write('\n');
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const onData = (chunk: string) => {
      if (chunk.startsWith('\u001b')) return; // arrow keys and other escape sequences
      for (const char of chunk) {
        if (char === '\r' || char === '\n') return finish();
        if (char === '\u0003') return finish(new CliError('cancelled; nothing was changed', EXIT.interrupted));
        if (char === '\u0004') return value === '' ? finish(new CliError('cancelled; nothing was changed', EXIT.interrupted)) : finish();
        if (char === '\u007f' || char === '\b') value = [...value].slice(0, -1).join('');
        else if (char >= ' ') value += char;
      }
      return undefined;
    };
    // Echo off before the prompt shows: a reply typed the instant it appears must not be echoed.
    input.setRawMode(true);
    process.stderr.write(prompt);
    input.setEncoding('utf8');
    input.on('data', onData);
    input.resume();
  });
}

async function main(argv: readonly string[]): Promise<number> {
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const out = name === undefined ? console.error : console.log;
    out(overview());
    return name === undefined ? EXIT.badArguments : EXIT.ok;
  }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (command === undefined) throw badArguments(`unknown command "${name}"; the commands are ${Object.keys(COMMANDS).join(', ')}`);

  let parsed: { values: Values; positionals: string[] };
  try {
    parsed = parseArgs({ args: [...rest], options: { ...TARGET_OPTIONS, ...command.options }, allowPositionals: true, strict: true });
  } catch (error) {
    throw badArguments(argumentProblem(error));
  }
  const { values, positionals } = parsed;
  if (values['help'] === true) {
    console.log(commandHelp(command));
    return EXIT.ok;
  }
  if (positionals.length !== command.positionals) {
    throw badArguments(command.positionals === 1 ? `${name} takes one ${ACCOUNT_ARGUMENT}` : `${name} takes no positional arguments`);
  }
  command.check?.(values);
  const target = targetFrom(values);

  const admin = accountAdministration(target.settings);
  try {
    await admin.checkTable();
    await command.run({ accounts: admin.accounts, values, positionals, json: values['json'] === true, print: (line) => console.log(line) });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof AccountNotFoundError) throw new CliError(`no user has the id or username "${positionals[0] ?? ''}"`, EXIT.userNotFound);
    if (error instanceof LastAdminError) throw new CliError(`refused: ${error.message}`, EXIT.unexpected);
    throw storeFailure(error, target) ?? error;
  } finally {
    admin.close();
  }
}

/** parseArgs's messages, shortened; a --password option gets the reason it does not exist. */
function argumentProblem(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/'--password'/.test(message)) {
    return 'there is no --password option: the password is read from the terminal or stdin, never from the command line';
  }
  return message.split('\n')[0]?.replace(/\. To specify a positional argument.*$/, '') ?? 'bad arguments';
}

function report(error: unknown): number {
  if (error instanceof CliError) {
    console.error(`admin: ${error.message}`);
    return error.exitCode;
  }
  if (error instanceof ValidationError) {
    console.error(`admin: ${error.message}`);
    return EXIT.badArguments;
  }
  if (error instanceof SettingsError || error instanceof ConfigError) {
    console.error(`admin: ${error.message}`);
    return EXIT.badArguments;
  }
  // The name only: a library's message can quote its input.
  console.error(`admin: failed unexpectedly (${error instanceof Error ? error.name : typeof error})`);
  return EXIT.unexpected;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);
