/**
 * Each in-process case runs in its own Node process: lib/dependencies builds its config and
 * services once per process (as once per Lambda container), so a case that needs other settings
 * (bcrypt cost, signing algorithm) needs a fresh process.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const RESULT_FILE = 'BENCH_RESULT_FILE';

/** Settings every case process gets: quiet logs, no SDK warning about Node 20. */
const CASE_ENV: NodeJS.ProcessEnv = {
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  // Logs silenced: the authorizer writes a line per refusal or denial (INFO) and per allow (DEBUG),
  // and login one per attempt; case 1 also times the authorizer at INFO and at DEBUG. Warnings and errors would be lost as well,
  // which is why every case checks the answers it times.
  POWERTOOLS_LOG_LEVEL: 'SILENT',
  AWS_REGION: 'us-east-1',
  NODE_ENV: 'production',
};

// Settings of the developer's shell that would change what a case measures.
const INHERITED_SETTINGS_DROPPED = [
  'JWT_SECRET',
  'JWT_SECRET_PARAMETER',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'JWT_ALG',
  'JWT_PRIVATE_KEY',
  'JWT_KEY_ID',
  'BCRYPT_COST',
  'TABLE_NAME',
  'DYNAMODB_ENDPOINT',
  'ACCESS_TOKEN_TTL',
  'ALLOW_SIGNUP',
  'LOG_LEVEL',
  'JWT_PRIVATE_KEY_PARAMETER',
  'JWT_PREVIOUS_PUBLIC_KEYS',
  'REFRESH_TOKEN_TTL',
  'LOGIN_MAX_ATTEMPTS',
  'LOGIN_ATTEMPT_WINDOW',
  'LOGIN_LOCKOUT_SECONDS',
];

/** Runs bench/cases/<name>.ts with `env` added to a cleaned copy of this environment; resolves its result. */
export async function runCase<T>(name: string, env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-case-'));
  const resultFile = join(dir, 'result.json');
  const base: NodeJS.ProcessEnv = { ...process.env };
  INHERITED_SETTINGS_DROPPED.forEach((variable) => delete base[variable]);
  // stdout is /dev/null: the service's log lines (case 1 times the allow line) are written as in Lambda,
  // not collected here; failures are reported on stderr.
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, 'cases', `${name}.ts`)], {
    env: { ...base, ...CASE_ENV, ...env, [RESULT_FILE]: resultFile },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let output = '';
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`case ${name} took longer than ${timeoutMs / 1000} s`));
      }, timeoutMs);
      child.once('error', reject);
      child.once('exit', (exitCode) => {
        clearTimeout(timer);
        resolve(exitCode);
      });
    });
    if (code !== 0) throw new Error(`case ${name} failed (exit ${String(code)}):\n${output.slice(-4000)}`);
    return JSON.parse(readFileSync(resultFile, 'utf8')) as T;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** In a case process: hands the result to the parent and exits (INIT work such as a dummy hash may still be pending). */
export function reportCaseResult(result: unknown): never {
  const file = process.env[RESULT_FILE];
  if (file === undefined) throw new Error(`${RESULT_FILE} is not set: run the cases through npm run bench.`);
  writeFileSync(file, JSON.stringify(result));
  process.exit(0);
}

/** In a case process: runs the case body and reports, or prints the failure and exits 1. */
export function runCaseMain(body: () => Promise<unknown>): void {
  body().then(reportCaseResult, (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
