/**
 * `npm run bench`: every case in one run, one table on stdout and in docs/benchmarks.md.
 * Progress goes to stderr. Starts DynamoDB Local (cases 1–4) and the service (case 6) on free
 * ports and stops both, also on Ctrl-C.
 */
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { ensureTable, freePort, localClient, startDynamoDbLocal, type LocalDynamoDb } from '../scripts/local-dynamodb';
import { runCase } from './child';
import { measureColdStarts } from './cold-start';
import { loadThroughOffline, startOfflineService } from './offline-load';
import { markdownDocument, markdownTable, machineLine, tableRows, type BenchResults, type Machine, type Outcome } from './report';
import type { AuthorizerAsymmetricResult, AuthorizerHs256Result, AuthorizerStateResult, LoginResult, SigningAlg } from './results';
import { JWT_AUDIENCE, JWT_ISSUER, LOGIN_BCRYPT_COST, LOGIN_MAX_ATTEMPTS, SETUP_BCRYPT_COST, TABLE_NAME } from './settings';

const ROOT = join(__dirname, '..');
const log = (line: string) => process.stderr.write(`${line}\n`);

async function attempt<T>(label: string, run: () => Promise<T>): Promise<Outcome<T>> {
  log(label);
  const started = Date.now();
  try {
    const value = await run();
    log(`  done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { ok: true, value };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`  FAILED: ${message}`);
    return { ok: false, error: message };
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  // Local Node is 20; the deployed runtime is nodejs22.x (as scripts/start.ts does).
  process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
  const loadAverageStart = loadavg();
  const jwtSecret = randomBytes(32).toString('base64url');

  let dynamo: LocalDynamoDb | undefined;
  // DynamoDB Local's java is our child: never leave it behind, whatever ends this process.
  process.once('exit', () => dynamo?.process.kill('SIGKILL'));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

  log('DynamoDB Local for cases 1–4…');
  dynamo = await startDynamoDbLocal({ port: await freePort() });
  const client = localClient(dynamo.endpoint);
  await ensureTable(client, TABLE_NAME);
  client.destroy();
  const common: NodeJS.ProcessEnv = {
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    TABLE_NAME,
    JWT_ISSUER,
    JWT_AUDIENCE,
    BCRYPT_COST: String(SETUP_BCRYPT_COST),
  };

  let hs256: Outcome<AuthorizerHs256Result>;
  let state: Outcome<AuthorizerStateResult>;
  const asymmetric: Outcome<AuthorizerAsymmetricResult>[] = [];
  let login: Outcome<LoginResult>;
  try {
    hs256 = await attempt('case 1: authorizer in process, HS256, account-state read replaced by a constant', () =>
      runCase<AuthorizerHs256Result>('authorizer-hs256', { ...common, JWT_SECRET: jwtSecret }),
    );
    state = await attempt('case 2: the exported authorizer, on DynamoDB Local', () =>
      runCase<AuthorizerStateResult>('authorizer-state', { ...common, JWT_SECRET: jwtSecret }),
    );
    for (const alg of ['RS256', 'ES256'] as const) {
      asymmetric.push(await attempt(`case 3: ${alg} through the authorizer`, () => asymmetricCase(alg, common)));
    }
    login = await attempt(`case 4: login end to end, bcrypt cost ${LOGIN_BCRYPT_COST}`, () =>
      runCase<LoginResult>('login', {
        ...common,
        JWT_SECRET: jwtSecret,
        BCRYPT_COST: String(LOGIN_BCRYPT_COST),
        LOGIN_MAX_ATTEMPTS: String(LOGIN_MAX_ATTEMPTS),
      }),
    );
  } finally {
    await dynamo.stop();
    dynamo = undefined;
  }

  // Case 6's service starts while case 5 packages and builds (neither is timed), and case 5 waits
  // for it to be up before it times any load: saves a quarter of a minute, measures nothing less.
  log('case 6, early: npm start in the background (DynamoDB Local + serverless offline)');
  const service = startOfflineService().then(
    (running) => ({ ok: true as const, running }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  const authorizerReadsDynamoDb = state.ok && state.value.dynamodb.perCall > 0;
  const coldStart = await attempt('case 5: cold start of each packaged function', () =>
    measureColdStarts({
      authorizerReadsDynamoDb,
      log,
      beforeLoading: async () => {
        log('  waiting for the service of case 6 to be up before timing loads…');
        await service;
      },
    }),
  );
  const offline = await attempt('case 6: GET /me through serverless offline', async () => {
    const started = await service;
    if (!started.ok) throw started.error;
    return loadThroughOffline(started.running, log);
  });

  const results: BenchResults = { hs256, state, asymmetric, login, coldStart, offline };
  const machine: Machine = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    os: `${osType()} ${release()}`,
    date: new Date().toISOString(),
    commit: gitCommit(),
    loadAverageStart,
    loadAverageEnd: loadavg(),
    wallSeconds: (Date.now() - started) / 1000,
  };
  const table = markdownTable(tableRows(results));
  writeFileSync(join(ROOT, 'docs', 'benchmarks.md'), markdownDocument(machine, results, table));
  process.stdout.write(`\n${machineLine(machine)}\n\n${table}\n\nWritten to docs/benchmarks.md (${machine.wallSeconds.toFixed(0)} s).\n`);
  const failures = [hs256, state, ...asymmetric, login, coldStart, offline].filter((o) => !o.ok).length;
  return failures === 0 ? 0 : 1;
}

/** JWT_ALG with a fresh private key (PEM); its `kid` is its thumbprint (JWT_KEY_ID unset, as README advises). */
function asymmetricCase(alg: SigningAlg, common: NodeJS.ProcessEnv): Promise<AuthorizerAsymmetricResult> {
  const { privateKey } =
    alg === 'RS256' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return runCase<AuthorizerAsymmetricResult>('authorizer-asymmetric', {
    ...common,
    JWT_ALG: alg,
    JWT_PRIVATE_KEY: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  });
}

function gitCommit(): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
    return dirty === '' ? commit : `${commit} (with uncommitted changes)`;
  } catch {
    return 'unknown';
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`npm run bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
