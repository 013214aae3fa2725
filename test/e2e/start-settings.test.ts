/**
 * `npm start` checks the functions' settings before it starts anything: a bad one is one sentence
 * naming the variable and exit status 1, not a service whose every function fails at INIT.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../scripts/local-dynamodb';

const ROOT = join(__dirname, '../..');

async function npmStart(settings: NodeJS.ProcessEnv): Promise<{ status: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, ...settings };
  for (const name of ['JWT_ALG', 'JWT_SECRET', 'JWT_PRIVATE_KEY', 'CORS_ALLOWED_ORIGIN']) if (!(name in settings)) delete env[name];
  for (const name of ['PORT', 'LAMBDA_PORT', 'WEBSOCKET_PORT', 'DYNAMODB_PORT']) env[name] = String(await freePort());
  const child = spawn('npm', ['start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  // A setting it failed to refuse starts the whole service: stop its group (as Ctrl-C) and say so.
  const timer = setTimeout(() => process.kill(-(child.pid ?? 0), 'SIGINT'), 20_000);
  const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  return { status, output };
}

describe('npm start refuses a bad setting at once', () => {
  it.each([
    ['CORS_ALLOWED_ORIGIN', { CORS_ALLOWED_ORIGIN: 'https://a.example, https://b.example' }],
    ['JWT_SECRET', { JWT_SECRET: 'too-short' }],
    ['JWT_ALG', { JWT_ALG: 'HS512' }],
  ])('%s', async (variable, settings) => {
    const { status, output } = await npmStart(settings);

    expect(status).toBe(1);
    const sentence = output.split('\n').find((line) => line.startsWith('npm start: '));
    expect(sentence).toContain(variable);
    expect(output).not.toContain('serverless-auth is running');
    expect(output).not.toMatch(/\n\s+at /);
  });
});
