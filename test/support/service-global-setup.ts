/**
 * Jest globalSetup of the e2e project: runs `npm start` exactly as a developer does, on free
 * ports and in its own process group, and waits for its banner. The test workers inherit the
 * base URL and the first admin's credentials through process.env. A test that needs a service
 * with other settings starts its own with startService and stops it with stopService.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { freePort } from '../../scripts/local-dynamodb';

const ROOT = join(__dirname, '..', '..');
const STARTUP_TIMEOUT_MS = 120_000;
const KEPT_LINES = 200;
const READY = /serverless-auth is running at (\S+)/;

// Settings a developer may have exported for their own `npm start`: the suite tests the defaults.
const DEVELOPER_SETTINGS = [
  'JWT_ALG',
  'JWT_SECRET',
  'JWT_PRIVATE_KEY',
  'JWT_KEY_ID',
  'JWT_PREVIOUS_PUBLIC_KEYS',
  'JWT_ISSUER',
  'JWT_AUDIENCE',
  'ACCESS_TOKEN_TTL',
  'ALLOW_SIGNUP',
  'AUTHORIZER_CACHE_TTL',
  'DYNAMODB_PERSIST',
  'REFRESH_TOKEN_TTL',
  'REFRESH_REUSE_INTERVAL',
  'LOGIN_MAX_ATTEMPTS',
  'LOGIN_ATTEMPT_WINDOW',
  'LOGIN_LOCKOUT_SECONDS',
  'CORS_ALLOWED_ORIGIN',
];

/** The last lines the service printed, for the error message when it does not come up. */
export class OutputTail {
  private readonly lines: string[] = [];
  private readonly listeners: ((line: string) => void)[] = [];

  /** Feeds one stream; partial lines are held per stream so two streams do not interleave mid-line. */
  follow(stream: NodeJS.ReadableStream | null): void {
    let partial = '';
    stream?.setEncoding('utf8');
    stream?.on('data', (chunk: string) => {
      const parts = (partial + chunk).split(/\r?\n/);
      partial = parts.pop() ?? '';
      parts.forEach((line) => this.add(line));
    });
    stream?.on('end', () => {
      if (partial !== '') this.add(partial);
      partial = '';
    });
  }

  onLine(listener: (line: string) => void): void {
    this.listeners.push(listener);
  }

  text(): string {
    return this.lines.join('\n');
  }

  private add(line: string): void {
    this.lines.push(line);
    if (this.lines.length > KEPT_LINES) this.lines.shift();
    this.listeners.forEach((listener) => listener(line));
  }
}

export interface RunningService {
  readonly child: ChildProcess;
  readonly output: OutputTail;
  /** Removes the safety nets that kill the service if Jest dies without its teardown. */
  readonly releaseSafetyNets: () => void;
}

type Registry = typeof globalThis & { __E2E_SERVICE__?: RunningService };
export const registry = globalThis as Registry;

export interface StartedService {
  readonly service: RunningService;
  /** What the banner printed, e.g. http://localhost:41234/dev */
  readonly baseUrl: string;
  /** The port its DynamoDB Local listens on. */
  readonly dynamodbPort: number;
}

/**
 * Runs `npm start` as a developer does, with `settings` over an environment cleared of the
 * developer's own settings, on free ports and in its own process group; resolves once the banner
 * shows. E2E_SERVICE_LOG=1 copies its output to stderr, each line prefixed with `label`.
 */
export async function startService(settings: NodeJS.ProcessEnv, label = 'service'): Promise<StartedService> {
  const ports = await distinctFreePorts(4);
  const env: NodeJS.ProcessEnv = { ...process.env };
  DEVELOPER_SETTINGS.forEach((name) => delete env[name]);
  Object.assign(env, {
    PORT: String(ports[0]),
    LAMBDA_PORT: String(ports[1]),
    WEBSOCKET_PORT: String(ports[2]),
    DYNAMODB_PORT: String(ports[3]),
    BCRYPT_COST: '4',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...settings,
  });

  const child = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = new OutputTail();
  output.follow(child.stdout);
  output.follow(child.stderr);
  if (process.env['E2E_SERVICE_LOG'] === '1') output.onLine((line) => process.stderr.write(`[${label}] ${line}\n`));
  const service: RunningService = { child, output, releaseSafetyNets: installSafetyNets(child) };

  try {
    return { service, baseUrl: await waitForBanner(child, output), dynamodbPort: ports[3] ?? 0 };
  } catch (error) {
    await stopService(service);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`The e2e ${label} did not start: ${reason}\n--- last ${KEPT_LINES} lines of its output ---\n${output.text()}`, {
      cause: error,
    });
  }
}

export default async function globalSetup(): Promise<void> {
  const adminUsername = 'e2e-admin';
  const adminPassword = randomBytes(18).toString('base64url'); // 24 characters
  // The suite supplies the secret (as JWT_SECRET lets a developer do) so it can mint tokens the
  // service must refuse for their claims alone: expired, wrong audience, wrong issuer.
  const jwtSecret = randomBytes(32).toString('base64url');
  const { service, baseUrl } = await startService({ ADMIN_USERNAME: adminUsername, ADMIN_PASSWORD: adminPassword, JWT_SECRET: jwtSecret });
  registry.__E2E_SERVICE__ = service;
  process.env['E2E_BASE_URL'] = baseUrl;
  process.env['E2E_ADMIN_USERNAME'] = adminUsername;
  process.env['E2E_ADMIN_PASSWORD'] = adminPassword;
  process.env['E2E_JWT_SECRET'] = jwtSecret;
}

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function waitForBanner(child: ChildProcess, output: OutputTail): Promise<string> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (error: Error | undefined, url?: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.off('error', onError);
      if (error !== undefined) reject(error);
      else resolve(url ?? '');
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      settle(new Error(`npm start exited (${signal ?? `code ${code ?? 'unknown'}`}) before it was ready.`));
    const onError = (error: Error) => settle(new Error(`npm start could not be run: ${error.message}`));
    const timer = setTimeout(
      () => settle(new Error(`npm start did not print its banner within ${STARTUP_TIMEOUT_MS / 1000} s.`)),
      STARTUP_TIMEOUT_MS,
    );
    child.once('exit', onExit);
    child.once('error', onError);
    output.onLine((line) => {
      const url = READY.exec(line)?.[1];
      if (url !== undefined) settle(undefined, url);
    });
  });
}

/**
 * The service runs in its own process group, so a Ctrl-C meant for Jest does not reach it; if
 * Jest goes down without its teardown, kill the group on the way out.
 */
function installSafetyNets(child: ChildProcess): () => void {
  const killGroup = () => {
    if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL');
  };
  const onSignal = (signal: NodeJS.Signals) => {
    killGroup();
    // Nobody else handles it: restore the default (termination) that our listener suppressed.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  process.once('exit', killGroup);
  signals.forEach((signal) => process.once(signal, onSignal));
  return () => {
    process.off('exit', killGroup);
    signals.forEach((signal) => process.off(signal, onSignal));
  };
}

/** Sends a signal to every process in the group; false when the group no longer exists. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * SIGINT to the whole group (npm, tsx, serverless offline, DynamoDB Local's java), as Ctrl-C in
 * a terminal would; whatever is still there after the grace period gets SIGKILL.
 */
export async function stopService(service: RunningService, graceMs = 10_000): Promise<void> {
  const pgid = service.child.pid;
  if (pgid !== undefined && signalGroup(pgid, 'SIGINT')) {
    const deadline = Date.now() + graceMs;
    while (signalGroup(pgid, 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
    signalGroup(pgid, 'SIGKILL');
  }
  service.releaseSafetyNets();
}
