/**
 * What Serverless users type first, beside the suite's running `npm start`
 * (docs/local-development.md): `serverless invoke local` runs a function with that run's DynamoDB
 * Local and signing key; `serverless offline` alone, or `invoke local` with no `npm start` to use,
 * stops at once with one sentence saying what to do.
 */
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from '../../scripts/local-dynamodb';
import { admin, baseUrl, bodyOf, expectStatus, request } from './support';

const ROOT = join(__dirname, '..', '..');
const SERVERLESS = join(ROOT, 'node_modules', '.bin', 'serverless');

interface Finished {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the serverless CLI in the project with these settings over the suite's environment (DYNAMODB_ENDPOINT removed, as in a fresh shell). */
function serverless(args: string[], settings: NodeJS.ProcessEnv): Promise<Finished> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...settings };
  delete env['DYNAMODB_ENDPOINT'];
  return new Promise((resolve, reject) => {
    const child = spawn(SERVERLESS, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The one sentence a refusal prints, with the lines joined (the CLI wraps nothing, but be safe). */
const printed = (run: Finished) => `${run.stdout}\n${run.stderr}`.replace(/\s+/g, ' ');

describe('native Serverless commands', () => {
  const workFolder = `.esbuild-e2e-native-${process.pid}`;
  afterAll(() => rmSync(join(ROOT, workFolder), { recursive: true, force: true }));

  it('`serverless offline` alone stops before building anything, pointing to npm start', async () => {
    const run = await serverless(['offline'], { PORT: String(await freePort()), ESBUILD_WORK_FOLDER: workFolder });
    expect({ code: run.code, message: printed(run) }).toEqual({
      code: 1,
      message: expect.stringContaining('Run `npm start` instead of `serverless offline`: it starts DynamoDB Local'),
    });
    expect(existsSync(join(ROOT, workFolder))).toBe(false);
  }, 120_000);

  it('`serverless invoke local -f login` logs in against the running npm start, and its token works there', async () => {
    const { username, password } = admin();
    const event = { body: JSON.stringify({ username, password }), headers: { 'content-type': 'application/json' }, isBase64Encoded: false };
    const run = await serverless(['invoke', 'local', '-f', 'login', '-d', JSON.stringify(event)], {
      PORT: new URL(baseUrl()).port,
      ESBUILD_WORK_FOLDER: workFolder,
    });
    expect({ code: run.code, stderr: run.stderr.slice(-500) }).toEqual({ code: 0, stderr: expect.any(String) });
    const result = JSON.parse(run.stdout.slice(run.stdout.indexOf('{\n'))) as { statusCode: number; body: string };
    expect(result.statusCode).toBe(200);
    const token = (JSON.parse(result.body) as { access_token: string }).access_token;
    const me = await request('GET', '/me', { token });
    expectStatus(me, 200);
    expect(bodyOf<{ username: string }>(me).username).toBe(username);
  }, 120_000);

  it('`serverless invoke local` with no npm start on PORT stops at once and says so', async () => {
    const port = await freePort();
    const run = await serverless(['invoke', 'local', '-f', 'me'], { PORT: String(port), ESBUILD_WORK_FOLDER: workFolder });
    expect({ code: run.code, message: printed(run) }).toEqual({
      code: 1,
      message: expect.stringContaining(`and none runs on port ${port}: start \`npm start\` first, or set PORT to the port it uses`),
    });
  }, 120_000);
});
