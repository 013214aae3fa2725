/* eslint-disable @typescript-eslint/no-explicit-any -- walks untyped CloudFormation JSON */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import table from '../../lib/storage/table.json';

/** The CloudFormation that `serverless package` writes, with no AWS credentials at all. */
function packageTemplate(stage: string): Record<string, any> {
  const dir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  // Its own esbuild work folder, so it does not pull bundles from under a running `npm start`.
  const workFolder = `.esbuild-package-${process.pid}-${stage}`;
  try {
    const env = { ...process.env, ESBUILD_WORK_FOLDER: workFolder, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'no-such-profile', JWT_SECRET: '' };
    execFileSync(join(__dirname, '../../node_modules/.bin/serverless'), ['package', '--stage', stage, '--package', dir], {
      cwd: join(__dirname, '../..'),
      env,
      stdio: 'pipe',
    });
    return JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Record<string, any>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(__dirname, '../..', workFolder), { recursive: true, force: true });
  }
}

describe('packaged CloudFormation template', () => {
  let dev: Record<string, any>;
  let prod: Record<string, any>;
  beforeAll(() => {
    dev = packageTemplate('dev');
    prod = packageTemplate('prod');
  }, 120_000);

  it('holds the table as lib/storage/table.json defines it: on demand, TTL on ttl, point-in-time recovery', () => {
    const resource = dev['Resources']['AuthTable'];
    expect(resource.Type).toBe('AWS::DynamoDB::Table');
    expect(resource.Properties).toMatchObject({
      TableName: 'serverless-auth-dev',
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: table.KeySchema,
      AttributeDefinitions: table.AttributeDefinitions,
      GlobalSecondaryIndexes: table.GlobalSecondaryIndexes,
      TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
  });

  it('keeps the prod table when the stack goes, and not the dev one', () => {
    expect(prod['Resources']['AuthTable'].DeletionPolicy).toBe('Retain');
    expect(dev['Resources']['AuthTable'].DeletionPolicy).toBe('Delete');
  });

  it('holds a REQUEST authorizer on the Authorization header, uncached by default', () => {
    const authorizers = Object.values(dev['Resources']).filter((r: any) => r.Type === 'AWS::ApiGateway::Authorizer') as any[];
    expect(authorizers).toHaveLength(1);
    expect(authorizers[0].Properties).toMatchObject({
      Type: 'REQUEST',
      IdentitySource: 'method.request.header.Authorization',
      AuthorizerResultTtlInSeconds: 0,
    });
  });

  it('grants only the DynamoDB actions the code uses, on this table and its index, and the one SSM parameter', () => {
    const role = Object.values(dev['Resources']).find((r: any) => r.Type === 'AWS::IAM::Role') as any;
    const statements = role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement) as any[];
    const dynamo = statements.filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo.flatMap((s) => s.Action).sort()).toEqual(
      ['dynamodb:ConditionCheckItem', 'dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'].sort(),
    );
    for (const statement of dynamo) expect(JSON.stringify(statement.Resource)).toContain('AuthTable');
    const ssm = statements.filter((s) => JSON.stringify(s.Action).includes('ssm:'));
    expect(ssm.flatMap((s) => s.Action)).toEqual(['ssm:GetParameter']);
    expect(JSON.stringify(ssm[0].Resource)).toContain(':parameter/serverless-auth/dev/jwt-secret');
    for (const statement of statements) expect(statement.Resource).not.toContain('*');
  });

  it('never carries the signing secret: functions get the SSM parameter name instead', () => {
    const functions = Object.values(dev['Resources']).filter((r: any) => r.Type === 'AWS::Lambda::Function') as any[];
    expect(functions.length).toBe(12);
    for (const fn of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Environment.Variables).toMatchObject({ JWT_SECRET_PARAMETER: '/serverless-auth/dev/jwt-secret' });
      expect(fn.Properties.Environment.Variables).not.toHaveProperty('JWT_SECRET');
      expect(fn.Properties.Environment.Variables).not.toHaveProperty('DYNAMODB_ENDPOINT');
    }
  });

  it('shapes every error API Gateway writes itself as an API.md error, with CORS, and WWW-Authenticate on 401 and 403', () => {
    const responses = Object.values(dev['Resources']).filter((r: any) => r.Type === 'AWS::ApiGateway::GatewayResponse') as any[];
    const byType: Record<string, any> = Object.fromEntries(responses.map((r) => [r.Properties.ResponseType, r.Properties]));
    // The application's 429 and 413 have their own codes in API.md; DEFAULT_4XX would call them invalid_request.
    const expected: Record<string, { status: string | undefined; error: string; challenge: boolean }> = {
      UNAUTHORIZED: { status: '401', error: 'invalid_token', challenge: true },
      ACCESS_DENIED: { status: '403', error: 'insufficient_scope', challenge: true },
      THROTTLED: { status: '429', error: 'too_many_requests', challenge: false },
      REQUEST_TOO_LARGE: { status: '413', error: 'payload_too_large', challenge: false },
      DEFAULT_4XX: { status: undefined, error: 'invalid_request', challenge: false },
      DEFAULT_5XX: { status: undefined, error: 'server_error', challenge: false },
    };
    expect(Object.keys(byType).sort()).toEqual(Object.keys(expected).sort());
    for (const [type, { status, error, challenge }] of Object.entries(expected)) {
      const properties = byType[type];
      const headers: Record<string, string> = properties.ResponseParameters ?? {};
      const templates: Record<string, string> = properties.ResponseTemplates ?? {};
      expect({ type, templates: Object.keys(templates) }).toEqual({ type, templates: ['application/json'] });
      const body = JSON.parse(templates['application/json'] ?? 'null') as Record<string, unknown>;
      expect({ type, status: properties.StatusCode, body }).toEqual({ type, status, body: { error, error_description: expect.stringMatching(/^[A-Z].+\.$/) } });
      expect({ type, cors: headers['gatewayresponse.header.Access-Control-Allow-Origin'] }).toEqual({ type, cors: "'*'" });
      expect({ type, cacheControl: headers['gatewayresponse.header.Cache-Control'] }).toEqual({ type, cacheControl: "'no-store'" });
      const wwwAuthenticate = headers['gatewayresponse.header.WWW-Authenticate'];
      // RFC 6750 §3: the challenge names the same error and description as the body.
      expect({ type, wwwAuthenticate }).toEqual({
        type,
        wwwAuthenticate: challenge ? `'Bearer error="${error}", error_description="${String(body['error_description'])}"'` : undefined,
      });
    }
  });
});
