/**
 * Settings the developer tools share (`npm start`, `npm run admin`): the local stage, ports from
 * the environment or a git-ignored .env, and the names serverless.yml gives a stage's resources,
 * read from serverless.yml itself so that there is one rule, not a copy of it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';

export const ROOT = join(__dirname, '..');

/** The stage `npm start` runs (serverless-offline's `/dev` prefix). */
export const LOCAL_STAGE = 'dev';

/** DynamoDB Local's port when DYNAMODB_PORT is not set. */
export const DEFAULT_DYNAMODB_PORT = 8000;

/** A setting that is wrong in a way the user can fix; its message says how. */
export class SettingsError extends Error {}

interface ServerlessYml {
  readonly service: string;
  readonly provider: { readonly region: string };
  readonly custom: { readonly tableName: string };
}

let yml: ServerlessYml | undefined;
function serverlessYml(): ServerlessYml {
  yml ??= load(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as ServerlessYml;
  return yml;
}

/** Stage names as Serverless and CloudFormation accept them in resource names. */
export function isStageName(stage: string): boolean {
  return /^[a-zA-Z0-9-]{1,64}$/.test(stage);
}

/** The DynamoDB table of a stage: serverless.yml's `custom.tableName`, resolved for that stage. */
export function tableNameFor(stage: string): string {
  const { service, custom } = serverlessYml();
  const name = custom.tableName.replaceAll('${self:service}', service).replaceAll('${sls:stage}', stage);
  if (name.includes('${')) throw new Error(`serverless.yml's custom.tableName uses a variable this script cannot resolve: ${custom.tableName}`);
  return name;
}

/** The region `serverless deploy` uses when given no --region (serverless.yml's default). */
export function defaultRegion(): string {
  const { region } = serverlessYml().provider;
  const fallback = /^\$\{opt:region, *'([a-z0-9-]+)'\}$/.exec(region)?.[1] ?? (/^[a-z0-9-]+$/.test(region) ? region : undefined);
  if (fallback === undefined) throw new Error(`serverless.yml's provider.region has a form this script cannot read: ${region}`);
  return fallback;
}

/** Loads a git-ignored .env beside package.json, if there is one; the real environment wins. */
export function loadDotEnv(path = join(ROOT, '.env')): void {
  if (!existsSync(path)) return;
  for (const line of readFileSync(path, 'utf8').split(/\r?\n/)) {
    const match = /^\s*([A-Z_][A-Z0-9_]*)\s*=\s*(.*?)\s*$/.exec(line);
    if (match === null) continue;
    const [, name = '', raw = ''] = match;
    const value = raw.replace(/^(['"])(.*)\1$/, '$2');
    if (process.env[name] === undefined && value !== '') process.env[name] = value;
  }
}

/** A port number from the environment, or the fallback when the variable is unset. */
export function portFrom(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new SettingsError(`${name} must be a port number, not "${raw}".`);
  return port;
}
