/* eslint-disable @typescript-eslint/no-explicit-any -- untyped CloudFormation JSON */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/**
 * The CloudFormation that `serverless package` writes for the service in `serviceDir`, with no
 * AWS credentials at all and the deployer's own signing settings removed from the environment.
 */
export function packageTemplate(serviceDir: string, stage: string, label = stage): Record<string, any> {
  const dir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  // Its own esbuild work folder, so it does not pull bundles from under a running serverless offline.
  const workFolder = `.esbuild-package-${process.pid}-${label}`;
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, ESBUILD_WORK_FOLDER: workFolder, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'no-such-profile' };
    for (const name of ['JWT_SECRET', 'JWT_ALG', 'JWT_PRIVATE_KEY', 'JWT_KEY_ID', 'JWT_PREVIOUS_PUBLIC_KEYS', 'CORS_ALLOWED_ORIGIN']) delete env[name];
    const run = spawnSync(join(ROOT, 'node_modules/.bin/serverless'), ['package', '--stage', stage, '--package', dir], { cwd: serviceDir, env, encoding: 'utf8' });
    if (run.status !== 0) throw new Error(`serverless package in ${serviceDir} failed:\n${run.stdout}\n${run.stderr}`);
    return JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Record<string, any>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(serviceDir, workFolder), { recursive: true, force: true });
  }
}

/** The template's resources of one type, by logical id. */
export function resourcesOfType(template: Record<string, any>, type: string): [string, any][] {
  return Object.entries(template['Resources'] as Record<string, any>).filter(([, resource]) => resource.Type === type);
}
