/* eslint-disable @typescript-eslint/no-explicit-any -- walks untyped CloudFormation JSON */
import { spawnSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'js-yaml';
import table from '../../lib/storage/table.json';
import { tableNameFor } from '../../scripts/settings';
import { loadSpec, requiredProperties, specProblems } from '../support/cloudformation-spec';

/** The CloudFormation that `serverless package` writes, with no AWS credentials at all. */
function packageTemplate(stage: string, settings: Record<string, string> = {}, label = stage): Record<string, any> {
  const dir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  // Its own esbuild work folder, so it does not pull bundles from under a running `npm start`.
  const workFolder = `.esbuild-package-${process.pid}-${label}`;
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, ESBUILD_WORK_FOLDER: workFolder, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'no-such-profile' };
    // The deployer's own signing settings must not leak into the defaults under test (and osls
    // takes an empty variable as set, so they are removed, not emptied).
    for (const name of ['JWT_SECRET', 'JWT_ALG', 'JWT_PRIVATE_KEY', 'JWT_KEY_ID', 'JWT_PREVIOUS_PUBLIC_KEYS', 'CORS_ALLOWED_ORIGIN']) delete env[name];
    Object.assign(env, settings);
    const run = spawnSync(join(__dirname, '../../node_modules/.bin/serverless'), ['package', '--stage', stage, '--package', dir], {
      cwd: join(__dirname, '../..'),
      env,
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`serverless package failed:\n${run.stdout}\n${run.stderr}`);
    return JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as Record<string, any>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(__dirname, '../..', workFolder), { recursive: true, force: true });
  }
}

const ssmStatements = (template: Record<string, any>): any[] => {
  const role = Object.values(template['Resources']).find((r: any) => r.Type === 'AWS::IAM::Role') as any;
  const statements = role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement) as any[];
  return statements.filter((s) => JSON.stringify(s.Action).includes('ssm:'));
};
const functionsOf = (template: Record<string, any>): any[] =>
  Object.values(template['Resources']).filter((r: any) => r.Type === 'AWS::Lambda::Function') as any[];

/** The preflight API Gateway answers for each path: resource id → its OPTIONS integration's headers and the path's other methods. */
const preflights = (template: Record<string, any>): { resource: string; headers: Record<string, string>; methods: string[] }[] => {
  const methods = Object.values(template['Resources']).filter((r: any) => r.Type === 'AWS::ApiGateway::Method') as any[];
  const resourceOf = (method: any) => JSON.stringify(method.Properties.ResourceId);
  const paths = [...new Set(methods.map(resourceOf))];
  return paths.map((resource) => {
    const onPath = methods.filter((method) => resourceOf(method) === resource);
    const options = onPath.find((method) => method.Properties.HttpMethod === 'OPTIONS');
    const parameters: Record<string, string> = options?.Properties.Integration.IntegrationResponses[0].ResponseParameters ?? {};
    const headers = Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name.replace('method.response.header.', ''), value]));
    return { resource, headers, methods: onPath.map((method) => method.Properties.HttpMethod as string).sort() };
  });
};

const APP_ORIGIN = 'https://app.example.com';

/** serverless.yml as written: the template must hold each of its functions and a preflight for each of its paths. */
interface ServerlessYml {
  functions: Record<string, { role?: string; events?: { http?: { path: string } }[] }>;
}
const yml = load(readFileSync(join(__dirname, '../../serverless.yml'), 'utf8')) as ServerlessYml;
const FUNCTIONS = Object.keys(yml.functions).sort();
const HTTP_PATHS = new Set(Object.values(yml.functions).flatMap((fn) => (fn.events ?? []).flatMap((event) => (event.http ? [event.http.path.replace(/^\/?/, '/')] : []))));
const functionNamesIn = (functions: any[], stage: string) => functions.map((fn) => String(fn.Properties.FunctionName).replace(`serverless-auth-${stage}-`, '')).sort();

describe('packaged CloudFormation template', () => {
  let dev: Record<string, any>;
  let prod: Record<string, any>;
  let es256: Record<string, any>;
  // What a deployer might have in their shell while packaging: none of it may reach the template.
  const privateKeyPem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const previousKeys = JSON.stringify({
    keys: [{ ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' }), kid: 'old-1', alg: 'ES256' }],
  });
  beforeAll(() => {
    dev = packageTemplate('dev');
    prod = packageTemplate('prod');
    es256 = packageTemplate('dev', { JWT_ALG: 'ES256', JWT_PRIVATE_KEY: privateKeyPem, JWT_PREVIOUS_PUBLIC_KEYS: previousKeys, CORS_ALLOWED_ORIGIN: APP_ORIGIN }, 'dev-es256');
  }, 180_000);

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
      [
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query', // sessions, on the table
        'dynamodb:Query', // the account list, on gsi1
        'dynamodb:UpdateItem',
      ].sort(),
    );
    for (const statement of dynamo) expect(JSON.stringify(statement.Resource)).toContain('AuthTable');
    const ssm = ssmStatements(dev);
    expect(ssm.flatMap((s) => s.Action)).toEqual(['ssm:GetParameter']);
    expect(ssm.flatMap((s) => s.Resource)).toHaveLength(1);
    expect(JSON.stringify(ssm[0].Resource)).toContain(':parameter/serverless-auth/dev/jwt-secret');
    expect(JSON.stringify(ssm[0].Resource)).not.toContain('jwt-private-key');
    for (const statement of statements) expect(statement.Resource).not.toContain('*');
  });

  it('never carries the signing secret: functions get the SSM parameter name instead', () => {
    const functions = functionsOf(dev);
    expect(functionNamesIn(functions, 'dev')).toEqual(FUNCTIONS);
    for (const fn of functions) {
      const variables = fn.Properties.Environment.Variables;
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(variables).toMatchObject({ JWT_ALG: 'HS256', JWT_SECRET_PARAMETER: '/serverless-auth/dev/jwt-secret' });
      expect(variables['JWT_PRIVATE_KEY_PARAMETER'] ?? '').toBe('');
      expect(variables).not.toHaveProperty('JWT_SECRET');
      expect(variables).not.toHaveProperty('JWT_PRIVATE_KEY');
      expect(variables).not.toHaveProperty('DYNAMODB_ENDPOINT');
    }
  });

  it('under JWT_ALG=ES256, functions get the private key parameter name, never the key, and the previous public keys', () => {
    const functions = functionsOf(es256);
    expect(functionNamesIn(functions, 'dev')).toEqual(FUNCTIONS);
    for (const fn of functions) {
      const variables = fn.Properties.Environment.Variables;
      expect(variables).toMatchObject({
        JWT_ALG: 'ES256',
        JWT_PRIVATE_KEY_PARAMETER: '/serverless-auth/dev/jwt-private-key',
        JWT_PREVIOUS_PUBLIC_KEYS: previousKeys,
      });
      expect(variables['JWT_SECRET_PARAMETER'] ?? '').toBe('');
      expect(variables).not.toHaveProperty('JWT_PRIVATE_KEY');
    }
    const keyBody = privateKeyPem.split('\n')[1] ?? '';
    expect(keyBody.length).toBeGreaterThan(40);
    expect(JSON.stringify(es256)).not.toContain(keyBody);
  });

  it('under JWT_ALG=ES256, may read exactly the private key parameter and not the HS256 secret', () => {
    const ssm = ssmStatements(es256);
    expect(ssm.flatMap((s) => s.Action)).toEqual(['ssm:GetParameter']);
    expect(ssm.flatMap((s) => s.Resource)).toHaveLength(1);
    const resource = JSON.stringify(ssm[0].Resource);
    expect(resource).toContain(':parameter/serverless-auth/dev/jwt-private-key');
    expect(resource).not.toContain('jwt-secret');
    expect(resource).not.toContain('*');
  });

  it('refuses to package an unknown JWT_ALG', () => {
    expect(() => packageTemplate('dev', { JWT_ALG: 'HS512' }, 'dev-hs512')).toThrow(/Cannot resolve variable at "provider.iam.role.statements/);
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
      // The authorizer could not decide (an outage): a 503 to retry, never a 401.
      AUTHORIZER_FAILURE: { status: '503', error: 'service_unavailable', challenge: false },
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
      expect({ type, exposed: headers['gatewayresponse.header.Access-Control-Expose-Headers'] }).toEqual({ type, exposed: "'WWW-Authenticate, Retry-After'" });
      expect({ type, cacheControl: headers['gatewayresponse.header.Cache-Control'] }).toEqual({ type, cacheControl: "'no-store'" });
      const wwwAuthenticate = headers['gatewayresponse.header.WWW-Authenticate'];
      // RFC 6750 §3: the challenge names the same error and description as the body.
      expect({ type, wwwAuthenticate }).toEqual({
        type,
        wwwAuthenticate: challenge ? `'Bearer error="${error}", error_description="${String(body['error_description'])}"'` : undefined,
      });
    }
    expect(byType['AUTHORIZER_FAILURE'].ResponseParameters['gatewayresponse.header.Retry-After']).toMatch(/^'[1-9]\d*'$/);
  });

  it('answers the CORS preflight of every path itself, for the methods of that path and the three request headers the API reads', () => {
    const paths = preflights(dev);
    expect(paths).toHaveLength(HTTP_PATHS.size);
    for (const { resource, headers, methods } of paths) {
      expect({ resource, methods: methods.filter((method) => method === 'OPTIONS') }).toEqual({ resource, methods: ['OPTIONS'] });
      const { 'Access-Control-Allow-Methods': allowed, ...others } = headers;
      expect({ resource, allowed: allowed?.replace(/'/g, '').split(',').sort() }).toEqual({ resource, allowed: methods });
      expect({ resource, others }).toEqual({
        resource,
        others: {
          'Access-Control-Allow-Origin': "'*'",
          'Access-Control-Allow-Headers': "'Content-Type,Authorization,X-Refresh-Token-Transport'",
          'Access-Control-Max-Age': "'600'",
        },
      });
    }
  });

  it('writes CORS_ALLOWED_ORIGIN, when set, into every preflight (allowing credentials: cookie mode), every gateway error and every function', () => {
    for (const { resource, headers } of preflights(es256)) {
      expect({ resource, origin: headers['Access-Control-Allow-Origin'], credentials: headers['Access-Control-Allow-Credentials'] }).toEqual({
        resource,
        origin: `'${APP_ORIGIN}'`,
        credentials: "'true'",
      });
    }
    const responses = Object.values(es256['Resources']).filter((r: any) => r.Type === 'AWS::ApiGateway::GatewayResponse') as any[];
    expect(responses.map((r) => r.Properties.ResponseParameters['gatewayresponse.header.Access-Control-Allow-Origin'])).toEqual(responses.map(() => `'${APP_ORIGIN}'`));
    expect(functionsOf(es256).map((f) => f.Properties.Environment.Variables.CORS_ALLOWED_ORIGIN)).toEqual(functionsOf(es256).map(() => APP_ORIGIN));
    expect(functionsOf(dev).map((f) => f.Properties.Environment.Variables.CORS_ALLOWED_ORIGIN)).toEqual(functionsOf(dev).map(() => '*'));
  });

  describe('for --stage prod (the deploy guide in the README)', () => {
    const resourcesOf = (type: string): [string, any][] => Object.entries(prod['Resources']).filter(([, r]: [string, any]) => r.Type === type) as [string, any][];
    const statementsOf = (role: any): any[] => role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement);
    /** Every statement of every role in the stack. */
    const statements = (): any[] => resourcesOf('AWS::IAM::Role').flatMap(([, role]) => statementsOf(role));
    /** A role's grants as `action → resources`, resources as JSON, for exact comparison. */
    const grantsOf = (logicalId: string): Record<string, string[]> => {
      const grants: Record<string, string[]> = {};
      for (const statement of statementsOf(prod['Resources'][logicalId])) {
        expect(statement.Effect).toBe('Allow');
        for (const action of [statement.Action].flat() as string[]) {
          grants[action] = [...(grants[action] ?? []), ...[statement.Resource].flat().map((resource: unknown) => JSON.stringify(resource))];
        }
      }
      return grants;
    };
    const logGroupArn = (fn: string) =>
      JSON.stringify({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:log-group:/aws/lambda/serverless-auth-prod-${fn}:*`]] });
    const secretArn = JSON.stringify({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':parameter/serverless-auth/prod/jwt-secret']],
    });

    it('keeps the table (Retain on delete and on replacement), on demand, with point-in-time recovery', () => {
      const table = prod['Resources']['AuthTable'];
      expect({ deletion: table.DeletionPolicy, replacement: table.UpdateReplacePolicy }).toEqual({ deletion: 'Retain', replacement: 'Retain' });
      expect(table.Properties).toMatchObject({
        TableName: tableNameFor('prod'),
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      });
    });

    it('names the table by the rule the admin CLI reads from serverless.yml', () => {
      expect(prod['Resources']['AuthTable'].Properties.TableName).toBe(tableNameFor('prod'));
      expect(dev['Resources']['AuthTable'].Properties.TableName).toBe(tableNameFor('dev'));
    });

    it('sets a log retention on the log group of every function', () => {
      const functions = resourcesOf('AWS::Lambda::Function');
      const logGroups = new Map(resourcesOf('AWS::Logs::LogGroup'));
      expect(functionNamesIn(functions.map(([, fn]) => fn), 'prod')).toEqual(FUNCTIONS);
      for (const [name, fn] of functions) {
        const groups = [fn.DependsOn ?? []].flat().filter((dependency: string) => logGroups.has(dependency));
        expect({ name, groups: groups.length }).toEqual({ name, groups: 1 });
        const group = logGroups.get(groups[0]);
        expect({ name, retention: group.Properties.RetentionInDays, logGroup: group.Properties.LogGroupName }).toEqual({
          name,
          retention: 30,
          logGroup: `/aws/lambda/${fn.Properties.FunctionName}`,
        });
      }
    });

    it('grants no wildcard resource or action, and only logs, the table, its index and the stage\'s secret', () => {
      const all = statements();
      for (const statement of all) {
        expect(statement.Effect).toBe('Allow');
        for (const resource of [statement.Resource].flat()) expect(resource).not.toBe('*');
        for (const action of [statement.Action].flat()) expect(action).toMatch(/^(logs|dynamodb|ssm):[A-Za-z]+$/);
      }
      const byService = (prefix: string) => all.filter((s) => [s.Action].flat().every((a: string) => a.startsWith(prefix)));
      expect(byService('logs:').length + byService('dynamodb:').length + byService('ssm:').length).toBe(all.length);

      // DynamoDB: the actions the code uses, on the table and the gsi1 index only (no table/* or index/*).
      expect([...new Set(byService('dynamodb:').flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r)))].map((r) => JSON.parse(r) as unknown)).toEqual([
        { 'Fn::GetAtt': ['AuthTable', 'Arn'] },
        { 'Fn::Join': ['/', [{ 'Fn::GetAtt': ['AuthTable', 'Arn'] }, 'index', 'gsi1']] },
      ]);
      // SSM: reading the one parameter of this stage.
      const ssm = byService('ssm:');
      expect([...new Set(ssm.flatMap((s) => [s.Action].flat()))]).toEqual(['ssm:GetParameter']);
      expect([...new Set(ssm.flatMap((s) => [s.Resource].flat()).map((r) => JSON.stringify(r)))]).toEqual([secretArn]);
      // Logs: the framework's statements, limited to this stage's function log groups.
      for (const statement of byService('logs:')) {
        for (const resource of [statement.Resource].flat()) expect(JSON.stringify(resource)).toContain(':log-group:/aws/lambda/serverless-auth-prod');
      }
    });
    it('gives the functions that need less than the shared role one of their own: the authorizer reads, the NoDataRole functions touch no data', () => {
      const roleOf = Object.fromEntries(resourcesOf('AWS::Lambda::Function').map(([, fn]) => [functionNamesIn([fn], 'prod')[0], fn.Properties.Role['Fn::GetAtt'][0]]));
      // Each function under the role serverless.yml names, the shared provider role when it names none;
      expect(roleOf).toEqual(Object.fromEntries(FUNCTIONS.map((name) => [name, yml.functions[name]?.role ?? 'IamRoleLambdaExecution'])));
      // and the service's own narrow functions among them (an endpoint of your own joins NoDataRole).
      expect(roleOf).toMatchObject({ authorizer: 'AuthorizerRole', jwks: 'SigningKeyReaderRole', me: 'NoDataRole', oauthMetadata: 'NoDataRole', openapi: 'NoDataRole', pages: 'NoDataRole', pageAssets: 'NoDataRole' });
      const noData = FUNCTIONS.filter((name) => roleOf[name] === 'NoDataRole');
      const writesLogsOf = (...fns: string[]) => ({ 'logs:CreateLogStream': fns.map(logGroupArn), 'logs:PutLogEvents': fns.map(logGroupArn) });
      // One DynamoDB action, which test/handlers/least-privilege.test.ts shows is all the authorizer sends.
      expect(grantsOf('AuthorizerRole')).toEqual({
        ...writesLogsOf('authorizer'),
        'dynamodb:BatchGetItem': [JSON.stringify({ 'Fn::GetAtt': ['AuthTable', 'Arn'] })],
        'ssm:GetParameter': [secretArn],
      });
      expect(grantsOf('SigningKeyReaderRole')).toEqual({ ...writesLogsOf('jwks'), 'ssm:GetParameter': [secretArn] });
      // Logs of exactly its functions; test/unit/bundles.test.ts shows they bundle no AWS SDK client at all.
      const sorted = (grants: Record<string, string[]>) => Object.fromEntries(Object.entries(grants).map(([action, resources]) => [action, [...resources].sort()]));
      expect(sorted(grantsOf('NoDataRole'))).toEqual(sorted(writesLogsOf(...noData)));
      for (const role of ['AuthorizerRole', 'SigningKeyReaderRole', 'NoDataRole']) {
        expect(prod['Resources'][role].Properties.AssumeRolePolicyDocument.Statement).toEqual([
          { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
        ]);
      }
    });
  });

  describe('against the AWS resource specification (@aws-cdk/aws-service-spec)', () => {
    let spec: ReturnType<typeof loadSpec>;
    beforeAll(() => {
      spec = loadSpec();
    }, 60_000);

    it('uses only resource types, property names and attributes that exist, with every required property, in every packaged variant', () => {
      expect({ dev: specProblems(spec, dev), prod: specProblems(spec, prod), es256: specProblems(spec, es256) }).toEqual({ dev: [], prod: [], es256: [] });
    });

    // The control: the same check finds each mistake planted in a copy, for every type the template uses.
    const firstOfEachType = (template: Record<string, any>): [string, any][] => {
      const seen = new Map<string, [string, any]>();
      for (const [logicalId, resource] of Object.entries<any>(template['Resources'])) if (!seen.has(resource.Type)) seen.set(resource.Type, [logicalId, resource]);
      return [...seen.values()];
    };

    it('catches a misspelt property name on every resource type of the template', () => {
      for (const [logicalId, resource] of firstOfEachType(dev)) {
        const name = Object.keys(resource.Properties ?? {})[0];
        if (name === undefined) continue;
        const copy = structuredClone(dev);
        const properties = copy['Resources'][logicalId].Properties;
        const misspelt = `${name.slice(0, -2)}${name.slice(-1)}`; // its second last letter dropped
        properties[misspelt] = properties[name];
        delete properties[name];
        const where = `${logicalId} (${resource.Type})`;
        const missing = requiredProperties(spec, resource.Type).includes(name) ? [`${where}: required property ${name} is missing`] : [];
        expect(specProblems(spec, copy).sort()).toEqual([`${where}: unknown property ${misspelt}`, ...missing].sort());
      }
    });

    it('catches each required property left out, on every resource type of the template that has one', () => {
      let planted = 0;
      for (const [logicalId, resource] of firstOfEachType(dev)) {
        for (const name of requiredProperties(spec, resource.Type)) {
          const copy = structuredClone(dev);
          delete copy['Resources'][logicalId].Properties[name];
          expect(specProblems(spec, copy)).toEqual([`${logicalId} (${resource.Type}): required property ${name} is missing`]);
          planted += 1;
        }
      }
      expect(planted).toBeGreaterThan(0);
    });

    it('catches an unknown resource type, a misspelt resource attribute and a misspelt nested property', () => {
      const copy = structuredClone(dev);
      const [[logicalId, resource]] = Object.entries<any>(copy['Resources']) as [[string, any]];
      const type = resource.Type as string;
      resource.Type = `${type}s`;
      const table = Object.entries<any>(copy['Resources']).find(([, r]) => r.Type === 'AWS::DynamoDB::Table');
      expect(table).toBeDefined();
      const [tableId, tableResource] = table!;
      tableResource.DeletionPolcy = 'Retain';
      tableResource.Properties.PointInTimeRecoverySpecification = { PointInTimeRecoveryEnable: true };
      expect(specProblems(spec, copy).sort()).toEqual(
        [
          `${logicalId} (${type}s): no such resource type`,
          `${tableId} (AWS::DynamoDB::Table): unknown resource attribute DeletionPolcy`,
          `${tableId} (AWS::DynamoDB::Table).PointInTimeRecoverySpecification: unknown property PointInTimeRecoveryEnable`,
        ].sort(),
      );
    });
  });
});
