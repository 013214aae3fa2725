/**
 * `npm start`: the whole service on this machine. DynamoDB Local (in memory unless
 * DYNAMODB_PERSIST=1), the table, the first admin, then serverless-offline on 127.0.0.1:PORT.
 * Settings: see .env.example. Ctrl-C stops everything.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { accountAdministration } from '../lib/dependencies/accounts';
import { ConfigError, loadConfig } from '../lib/config';
import { CORS_ORIGIN_VARIABLE, corsOriginFrom } from '../lib/http/cors';
import { UsernameTakenError, ValidationError } from '../lib/errors';
import {
  assertPortFree,
  ensureTable,
  LocalSetupError,
  localClient,
  startDynamoDbLocal,
  stopProcess,
  type LocalDynamoDb,
} from './local-dynamodb';
import {
  DEFAULT_DYNAMODB_PORT,
  loadDotEnv,
  LOCAL_STAGE as STAGE,
  portFrom,
  ROOT,
  SettingsError,
  tableNameFor,
} from './settings';

async function main(): Promise<void> {
  // A git-ignored .env beside package.json, if there is one; the real environment wins.
  loadDotEnv();
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const httpPort = portFrom('PORT', 3000);
  const ports = {
    PORT: httpPort,
    WEBSOCKET_PORT: portFrom('WEBSOCKET_PORT', httpPort + 1),
    LAMBDA_PORT: portFrom('LAMBDA_PORT', httpPort + 2),
    DYNAMODB_PORT: portFrom('DYNAMODB_PORT', DEFAULT_DYNAMODB_PORT),
  };
  for (const [variable, port] of Object.entries(ports)) await assertPortFree(port, variable);

  const bcryptCost = process.env['BCRYPT_COST'] ?? '10';
  const baseUrl = `http://localhost:${httpPort}/${STAGE}`;
  const tableName = tableNameFor(STAGE);
  const signing = signingKeyForRun();
  // The functions' settings, checked here as each function will check them at INIT, so a bad
  // JWT_ALG or key stops `npm start` at once, naming the variable.
  const functionEnv: NodeJS.ProcessEnv = {
    ...process.env,
    ...signing.env,
    JWT_ISSUER: process.env['JWT_ISSUER'] || baseUrl,
    BCRYPT_COST: bcryptCost,
    AWS_REGION: 'us-east-1',
  };
  const { signing: checked } = loadConfig({ ...functionEnv, TABLE_NAME: tableName });
  checkCorsOrigin(functionEnv[CORS_ORIGIN_VARIABLE]);
  const keyId = checked.current.kind === 'key' ? checked.current.key.kid : '(from SSM)';

  const persist = ['1', 'true', 'yes'].includes(process.env['DYNAMODB_PERSIST'] ?? '') || process.argv.includes('--persist');
  const dynamo = await startDynamoDbLocal({
    port: ports.DYNAMODB_PORT,
    ...(persist ? { dataDir: join(ROOT, '.dynamodb') } : {}),
  });
  let offline: ChildProcess | undefined;
  let passwordFile: string | undefined;
  let stopping = false;
  const shutdown = async (code: number) => {
    // A second Ctrl-C (or the same signal relayed by npm and tsx) must not end this process
    // before it has stopped DynamoDB Local, which would keep the port after we are gone.
    if (stopping) return;
    stopping = true;
    // In memory, the account goes with this run, and so does its password.
    if (passwordFile !== undefined && !persist) rmSync(passwordFile, { force: true });
    if (offline !== undefined) await stopProcess(offline);
    await dynamo.stop();
    process.exit(code);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void shutdown(0));

  try {
    const admin = await prepareData(dynamo, tableName, Number(bcryptCost));
    passwordFile = keptPassword(admin, httpPort, persist);
    const env: NodeJS.ProcessEnv = {
      ...functionEnv,
      ...Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, String(port)])),
      DYNAMODB_ENDPOINT: dynamo.endpoint,
    };
    offline = startOffline(env);
    offline.once('exit', (code) => {
      console.error(`serverless offline stopped (exit code ${code ?? 'none'}).`);
      void shutdown(code ?? 1);
    });
    await waitForHttp(`${baseUrl}/.well-known/jwks.json`, offline);
    // serverless offline logs that first request after answering it: the banner comes after its
    // last start-up line, so the admin's password is the last thing on the screen.
    await quiet(offline, 500);
    printBanner(baseUrl, admin, `${checked.algorithm}, ${signing.description}, kid ${keyId}`, persist, passwordFile);
  } catch (error) {
    await shutdown(fail(error));
  }
}

/**
 * The signing key of this run: JWT_SECRET or JWT_PRIVATE_KEY when given; otherwise a fresh HS256
 * secret, or a fresh key pair for RS256/ES256 (JWT_ALG), that lives only as long as the run.
 */
function signingKeyForRun(): { env: NodeJS.ProcessEnv; description: string } {
  const algorithm = process.env['JWT_ALG'] || 'HS256';
  if (algorithm === 'RS256' || algorithm === 'ES256') {
    if (process.env['JWT_PRIVATE_KEY']) return { env: {}, description: 'key from JWT_PRIVATE_KEY' };
    const { privateKey } =
      algorithm === 'RS256'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    return { env: { JWT_PRIVATE_KEY: pem }, description: 'key pair generated for this run' };
  }
  if (process.env['JWT_SECRET']) return { env: {}, description: 'secret from JWT_SECRET' };
  return { env: { JWT_SECRET: randomBytes(32).toString('base64url') }, description: 'secret generated for this run' };
}

interface AdminSeed {
  readonly username: string;
  readonly password: string | undefined;
  readonly generated: boolean;
  readonly existed: boolean;
}

async function prepareData(dynamo: LocalDynamoDb, tableName: string, bcryptCost: number): Promise<AdminSeed> {
  const client = localClient(dynamo.endpoint);
  await ensureTable(client, tableName);
  client.destroy();
  const administration = accountAdministration({ tableName, region: 'us-east-1', dynamodbEndpoint: dynamo.endpoint, bcryptCost, allowSignup: true });
  const accounts = administration.accounts;
  const username = process.env['ADMIN_USERNAME'] || 'admin';
  const given = process.env['ADMIN_PASSWORD'];
  const password = given || randomBytes(18).toString('base64url');
  try {
    await accounts.createAccount({ username, password, roles: ['admin'] });
    return { username, password, generated: !given, existed: false };
  } catch (error) {
    if (error instanceof UsernameTakenError) return { username, password: undefined, generated: false, existed: true };
    if (error instanceof ValidationError) throw new LocalSetupError(`ADMIN_USERNAME or ADMIN_PASSWORD is not valid: ${error.message}.`);
    throw error;
  } finally {
    administration.close();
  }
}

function startOffline(env: NodeJS.ProcessEnv): ChildProcess {
  const bin = join(ROOT, 'node_modules', '.bin', 'serverless');
  // --localEnvironment hands the functions this process's environment (the generated secret and
  // DynamoDB Local's address), which must never be baked into a deployed template.
  const child = spawn(bin, ['offline', 'start', '--stage', STAGE, '--localEnvironment'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.pipe(process.stdout);
  child.stderr?.pipe(process.stderr);
  return child;
}

async function waitForHttp(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new LocalSetupError('serverless offline exited while starting; its output is above.');
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new LocalSetupError('serverless offline did not answer within 120 seconds.');
}

/**
 * Where the admin's generated password can be found again: an owner-only file in the git-ignored
 * .dynamodb/, one per port so that copies side by side keep theirs (the banner scrolls away under
 * the request log). Written when this run generated the password; with DYNAMODB_PERSIST, the file
 * of the run that created the account, if there is one; undefined otherwise.
 */
function keptPassword(admin: AdminSeed, port: number, persist: boolean): string | undefined {
  const file = join(ROOT, '.dynamodb', `admin-password-${port}`);
  // In memory every run starts afresh: a file left by one that did not stop cleanly is stale.
  if (!persist) rmSync(file, { force: true });
  if (admin.generated && admin.password !== undefined) {
    mkdirSync(join(ROOT, '.dynamodb'), { recursive: true });
    rmSync(file, { force: true }); // created anew, so with the mode below
    writeFileSync(file, `${admin.password}\n`, { mode: 0o600, flag: 'wx' });
    return file;
  }
  return admin.existed && existsSync(file) ? file : undefined;
}

/** Resolves once `child` has written nothing for `ms` (or after 10 × `ms` whatever it writes). */
function quiet(child: ChildProcess, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const streams = [child.stdout, child.stderr];
    let timer: NodeJS.Timeout;
    const done = () => {
      clearTimeout(timer);
      clearTimeout(limit);
      streams.forEach((stream) => stream?.off('data', restart));
      resolve();
    };
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(done, ms);
    };
    const limit = setTimeout(done, 10 * ms);
    streams.forEach((stream) => stream?.on('data', restart));
    restart();
  });
}

function printBanner(baseUrl: string, admin: AdminSeed, signing: string, persist: boolean, passwordFile: string | undefined): void {
  const kept = passwordFile === undefined ? '' : relative(ROOT, passwordFile);
  const lines = [
    '',
    `serverless-auth is running at ${baseUrl}  (development server, loopback only)`,
    `  data: DynamoDB Local ${persist ? 'on disk in .dynamodb/' : 'in memory (gone when you stop)'}`,
    `  token signing: ${signing}`,
    admin.existed
      ? `  admin account: "${admin.username}" (already existed; its password is unchanged${kept === '' ? '' : `: see ${kept}`})`
      : admin.generated
        ? `  admin account: "${admin.username}", generated password: ${admin.password ?? ''}\n` +
          `    (also in ${kept}${persist ? ', kept with the data' : ' until you stop'}; set ADMIN_PASSWORD to choose one)`
        : `  admin account: "${admin.username}" with the password from ADMIN_PASSWORD`,
    '',
    'Try:',
    `  curl -s -X POST ${baseUrl}/auth/login -H 'Content-Type: application/json' \\`,
    `    -d '{"username":"${admin.username}","password":"<password>"}'`,
    `  curl -s ${baseUrl}/me -H "Authorization: Bearer <access_token>"`,
    '',
    'Ctrl-C stops the service and DynamoDB Local.',
    '',
  ];
  console.log(lines.join('\n'));
}

/** Every function reads CORS_ALLOWED_ORIGIN at INIT; a bad value stops npm start here instead, in one sentence. */
function checkCorsOrigin(value: string | undefined): void {
  try {
    corsOriginFrom(value);
  } catch (error) {
    throw new LocalSetupError(error instanceof Error ? error.message : String(error));
  }
}

function fail(error: unknown): number {
  if (error instanceof LocalSetupError || error instanceof ConfigError || error instanceof SettingsError) {
    console.error(`npm start: ${error.message}`);
  } else {
    console.error(`npm start: could not start (${error instanceof Error ? error.name : 'unknown error'}).`);
  }
  return 1;
}

main().catch((error: unknown) => {
  process.exit(fail(error));
});
