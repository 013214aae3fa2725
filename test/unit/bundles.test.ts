import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { load } from 'js-yaml';

const ROOT = join(__dirname, '../..');
// A build takes about a second; the first one on a loaded two-core machine took over jest's 5 s.
jest.setTimeout(60_000);
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the same CommonJS module serverless-esbuild loads
const plugins = require('../../scripts/esbuild-plugins.js') as Plugin[];

/** The packages whose code ends up in a handler's bundle, built as serverless.yml builds it (minified, node20). */
async function packagesIn(handler: string): Promise<Set<string>> {
  const result = await build({
    entryPoints: [`handlers/${handler}.ts`],
    absWorkingDir: ROOT,
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node20',
    write: false,
    outdir: 'unused',
    metafile: true,
    logLevel: 'silent',
    // As serverless.yml's custom.esbuild.plugins: docs/openapi.yaml as JSON, the pages' assets as text.
    plugins,
  });
  const packages = new Set<string>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const at = path.lastIndexOf('node_modules/');
      if (at < 0 || bytesInOutput === 0) continue;
      const parts = path.slice(at + 'node_modules/'.length).split('/');
      packages.add(parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : (parts[0] ?? path));
    }
  }
  return packages;
}

/** The handler files (under handlers/, without .ts) of the serverless.yml functions that run under a role. */
function functionsUnder(role: string): string[] {
  const yml = load(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as { functions: Record<string, { role?: string; handler: string }> };
  return Object.values(yml.functions)
    .filter((fn) => fn.role === role)
    .map((fn) => fn.handler.replace(/^handlers\//, '').replace(/\.handler$/, ''));
}

// Each function loads what it calls and no more (cold start): lib/dependencies/ is split so that
// a handler's imports do not reach the adapters of another.
describe('what the functions bundle', () => {
  it.each([
    ['authorizer', ['bcryptjs']],
    ['jwks', ['bcryptjs', 'jsonwebtoken', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']],
    ['oauth-metadata', ['bcryptjs', 'jsonwebtoken', '@aws-sdk/client-ssm', '@aws-sdk/client-dynamodb']],
    // These four and oauth-metadata run under NoDataRole (serverless.yml), which allows no AWS call.
    ['me', ['bcryptjs', 'jsonwebtoken', '@aws-sdk/client-ssm', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']],
    ['openapi', ['bcryptjs', 'jsonwebtoken', '@aws-sdk/client-ssm', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']],
    ['pages', ['bcryptjs', 'jsonwebtoken', '@aws-sdk/client-ssm', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb']],
    ['page-assets', ['bcryptjs', 'jsonwebtoken', '@aws-sdk/client-ssm', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', 'zod']],
    ['register', ['jsonwebtoken', '@aws-sdk/client-ssm']],
    ['admin-get-user', ['jsonwebtoken', '@aws-sdk/client-ssm']],
  ])('%s holds none of %j', async (handler, unused) => {
    const packages = await packagesIn(handler);
    expect(unused.filter((name) => packages.has(name))).toEqual([]);
  });

  // NoDataRole may call no AWS service (test/unit/template.test.ts), so nothing under it may bundle a client:
  // on AWS the first call would be an AccessDenied. An endpoint of your own starts there (npm run add-endpoint).
  it.each(functionsUnder('NoDataRole'))('%s, under NoDataRole, holds no AWS SDK client', async (handler) => {
    const packages = await packagesIn(handler);
    expect([...packages].filter((name) => name.startsWith('@aws-sdk/client-') || name === '@aws-sdk/lib-dynamodb')).toEqual([]);
  });

  it('the authorizer holds what it does call: jsonwebtoken, DynamoDB, and SSM for a key held there', async () => {
    const packages = await packagesIn('authorizer');
    expect(['jsonwebtoken', '@aws-sdk/lib-dynamodb', '@aws-sdk/client-dynamodb', '@aws-sdk/client-ssm'].filter((name) => !packages.has(name))).toEqual([]);
  });
});
