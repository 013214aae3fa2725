import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { CONFIG_VARIABLES } from '../../lib/config';
import { LOCAL_ONLY_VARIABLES, readRun, removeRun, runFile, writeRun } from '../../scripts/local-run';

const yml = load(readFileSync(join(__dirname, '../../serverless.yml'), 'utf8')) as { provider: { environment: Record<string, unknown> } };

describe("the file that keeps a running npm start's function settings (scripts/local-run.js)", () => {
  // A name no real port has, so that a developer's running npm start is never touched.
  const port = `test-${process.pid}`;
  afterEach(() => removeRun(port, process.pid));

  it('holds every variable the config reads: serverless.yml hands over all but the local-only ones', () => {
    const handed = new Set([...Object.keys(yml.provider.environment), ...LOCAL_ONLY_VARIABLES, 'AWS_REGION']);
    expect(CONFIG_VARIABLES.filter((name) => !handed.has(name))).toEqual([]);
  });

  it('is readable by its owner only, and read back while its process lives', () => {
    const run = { pid: process.pid, url: 'http://localhost:1/dev', environment: { JWT_SECRET: 'x'.repeat(32) } };
    writeRun(port, run);
    expect(statSync(runFile(port)).mode & 0o777).toBe(0o600);
    expect(statSync(join(runFile(port), '..')).mode & 0o077).toBe(0);
    expect(readRun(port)).toEqual(run);
  });

  it('is ignored once the process that wrote it is gone, and removed only by that process', () => {
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    writeRun(port, { pid: deadPid, url: 'http://localhost:1/dev', environment: {} });
    expect(readRun(port)).toBeUndefined();
    removeRun(port, process.pid);
    expect(() => statSync(runFile(port))).not.toThrow();
    removeRun(port, deadPid);
    expect(() => statSync(runFile(port))).toThrow();
  });
});
