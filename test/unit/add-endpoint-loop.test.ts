/*
 * The loop a team runs, for real, in a throwaway copy of this project (its files as they are now,
 * node_modules linked): refusals change nothing; then `npm run add-endpoint -- GET /orders
 * --permission orders:read --role user`, and after it, with no test edited, the type check, the
 * linter on the new and edited files, and the tests a new endpoint used to break (routes, OpenAPI,
 * bundles, the authorizer's policy) plus the scaffolded test itself.
 *
 * The full `npm test` in such a copy (the packaged template and the e2e suite included) takes
 * minutes; docs/own-endpoint.md says how to run it by hand.
 */
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

import { PERMISSIONS, ROUTES } from '../../lib/routes';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const LOOP_TIMEOUT_MS = 600_000;

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** What never belongs in the copy (.gitignore's entries), when the project is not a git checkout. */
const NOT_COPIED = /^(node_modules|\.git|\.esbuild.*|\.serverless|\.dynamodb|coverage|\.env)$/;

/** The project's files: tracked and new ones git does not ignore, or every file outside NOT_COPIED without git. */
function projectFiles(): string[] {
  try {
    const listed = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return listed.split('\0').filter((name) => name !== '' && existsSync(join(ROOT, name)));
  } catch {
    const files: string[] = [];
    const walk = (at: string): void => {
      for (const entry of readdirSync(at, { withFileTypes: true })) {
        if (NOT_COPIED.test(entry.name)) continue;
        if (entry.isDirectory()) walk(join(at, entry.name));
        else if (entry.isFile()) files.push(relative(ROOT, join(at, entry.name)));
      }
    };
    walk(ROOT);
    return files;
  }
}

/** The project's files copied to a new directory, node_modules linked. */
function copyProject(): string {
  const dir = mkdtempSync(join(tmpdir(), 'add-endpoint-'));
  for (const file of projectFiles()) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

/** Every file of the copy (node_modules aside) → its SHA-256. */
function snapshot(dir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  const walk = (at: string): void => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.name === 'node_modules') continue;
      if (entry.isDirectory()) walk(path);
      else hashes[relative(dir, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(dir);
  return hashes;
}

/** A command in the copy, with the environment of a shell there (not this jest worker's). */
function run(cwd: string, command: string, args: readonly string[]): Promise<Run> {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('JEST_')) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** `orders`, or `orders2`, … when this project has an orders endpoint already (the README example, run here). */
const ORDERS = ((): string => {
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'orders' : `orders${n}`;
    if (!ROUTES.some((route) => route.path === `/${name}`) && !PERMISSIONS.some((permission) => permission === `${name}:read`) && !existsSync(join(ROOT, 'handlers', `get-${name}.ts`))) return name;
  }
})();
const Orders = ORDERS.charAt(0).toUpperCase() + ORDERS.slice(1);

const outcome = (result: Run) => ({ status: result.status, output: `${result.stdout}${result.stderr}`.trim().split('\n').slice(-40).join('\n') });

describe('npm run add-endpoint in a copy of this project', () => {
  let copy = '';
  beforeAll(() => {
    copy = copyProject();
  });
  afterAll(() => {
    if (copy !== '') rmSync(copy, { recursive: true, force: true });
  });

  it.each([
    ['an existing route', ['GET', '/me', '--permission', 'profile:read'], /^add-endpoint: GET \/me already exists/],
    ['an unknown role', ['GET', `/${ORDERS}`, '--permission', `${ORDERS}:read`, '--role', 'guest'], /^add-endpoint: Unknown role "guest"/],
    ['a bad permission name', ['GET', `/${ORDERS}`, '--permission', 'ORDERS', '--role', 'user'], /^add-endpoint: "ORDERS" is not a permission name/],
  ])('refuses %s: one line on stderr, exit 1, every file byte for byte as it was', async (_case, argv, message) => {
    const before = snapshot(copy);

    const result = await run(copy, join(BIN, 'tsx'), ['scripts/add-endpoint.ts', ...argv]);

    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr.trimEnd() }).toEqual({ status: 1, stdout: '', stderr: expect.stringMatching(message) });
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(snapshot(copy)).toEqual(before);
  }, 60_000);

  it(`adds GET /${ORDERS}; then the type check, the linter and the tests at risk pass with no test edited`, async () => {
    const testsBefore = Object.fromEntries(Object.entries(snapshot(copy)).filter(([path]) => path.startsWith('test/')));

    const scaffold = await run(copy, 'npm', ['run', '--silent', 'add-endpoint', '--', 'GET', `/${ORDERS}`, '--permission', `${ORDERS}:read`, '--role', 'user']);

    expect(outcome(scaffold)).toEqual({ status: 0, output: expect.stringContaining(`Added GET /${ORDERS} (function get${Orders}, permission ${ORDERS}:read (new), granted to user)`) });
    const testsAfter = Object.fromEntries(Object.entries(snapshot(copy)).filter(([path]) => path.startsWith('test/')));
    expect(testsAfter).toEqual({ ...testsBefore, [`test/handlers/get-${ORDERS}.test.ts`]: expect.any(String) });

    // The two cores this runs on: the type check and the linter side by side, then jest.
    const [typecheck, lint] = await Promise.all([
      run(copy, join(BIN, 'tsc'), ['-p', '.']),
      run(copy, join(BIN, 'eslint'), [`handlers/get-${ORDERS}.ts`, `test/handlers/get-${ORDERS}.test.ts`, 'lib/routes.ts']),
    ]);
    expect({ typecheck: outcome(typecheck), lint: outcome(lint) }).toEqual({ typecheck: { status: 0, output: '' }, lint: { status: 0, output: '' } });

    const tests = await run(copy, join(BIN, 'jest'), [
      'test/unit/routes.test.ts',
      'test/unit/openapi.test.ts',
      'test/unit/bundles.test.ts',
      'test/handlers/authorizer.test.ts',
      'test/handlers/protected-event.test.ts',
      `test/handlers/get-${ORDERS}.test.ts`,
      '--selectProjects',
      'unit',
      'handlers',
    ]);
    expect(outcome(tests)).toEqual({ status: 0, output: expect.stringMatching(/Tests:\s+\d+ passed, \d+ total/) });
    expect(tests.stderr).toContain(`get-${ORDERS}.test.ts`);
  }, LOOP_TIMEOUT_MS);
});
