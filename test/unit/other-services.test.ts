/* eslint-disable @typescript-eslint/no-explicit-any -- walks untyped CloudFormation JSON */
/**
 * The contract between serverless-auth's stack and another service's (examples/greeter), read from
 * both packaged templates: what one exports and permits is what the other imports and relies on.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { SERVICE_ROUTES } from '../../lib/routes';
import { loadSpec, specProblems } from '../support/cloudformation-spec';
import { packageTemplate, resourcesOfType, ROOT } from '../support/serverless-package';

const EXAMPLE_DIR = join(ROOT, 'examples', 'greeter');

interface ExampleYml {
  service: string;
  functions: Record<string, { events?: { http?: { method: string; path: string; authorizer?: unknown } }[] }>;
}
const exampleYml = load(readFileSync(join(EXAMPLE_DIR, 'serverless.yml'), 'utf8')) as ExampleYml;

const accountApis = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':*/authorizers/*']],
};

describe('another service behind the shared authorizer (examples/greeter)', () => {
  let auth: Record<string, any>;
  let example: Record<string, any>;
  beforeAll(() => {
    auth = packageTemplate(ROOT, 'dev', 'dev-services');
    example = packageTemplate(EXAMPLE_DIR, 'dev');
  }, 240_000);

  it("exports the authorizer's ARN under the name the example imports", () => {
    expect(auth['Outputs']['AuthorizerArn']).toMatchObject({
      Value: { 'Fn::GetAtt': ['AuthorizerLambdaFunction', 'Arn'] },
      Export: { Name: 'serverless-auth-dev-AuthorizerArn' },
    });
    const [[, authorizer]] = resourcesOfType(example, 'AWS::ApiGateway::Authorizer') as [[string, any]];
    expect(JSON.stringify(authorizer.Properties.AuthorizerUri)).toContain(JSON.stringify({ 'Fn::ImportValue': auth['Outputs']['AuthorizerArn'].Export.Name }));
  });

  it('lets API Gateway invoke the authorizer for the REST APIs of its own account and region only', () => {
    const permissions = resourcesOfType(auth, 'AWS::Lambda::Permission').filter(([, p]) => JSON.stringify(p.Properties.FunctionName).includes('AuthorizerLambdaFunction'));
    const forOthers = permissions.filter(([, p]) => JSON.stringify(p.Properties.SourceArn) === JSON.stringify(accountApis));
    expect(forOthers.map(([, p]) => p.Properties)).toEqual([
      {
        FunctionName: { 'Fn::GetAtt': ['AuthorizerLambdaFunction', 'Arn'] },
        Action: 'lambda:InvokeFunction',
        Principal: 'apigateway.amazonaws.com',
        SourceAccount: { Ref: 'AWS::AccountId' },
        SourceArn: accountApis,
      },
    ]);
  });

  it('uses it as a REQUEST authorizer on the Authorization header, uncached (revocation stays immediate), and adds no invoke permission of its own', () => {
    const authorizers = resourcesOfType(example, 'AWS::ApiGateway::Authorizer');
    expect(authorizers.map(([, a]) => a.Properties)).toEqual([
      expect.objectContaining({ Type: 'REQUEST', IdentitySource: 'method.request.header.Authorization', AuthorizerResultTtlInSeconds: 0 }),
    ]);
    // Only the example's own function may be invoked by its API: the authorizer's permission is serverless-auth's.
    for (const [, permission] of resourcesOfType(example, 'AWS::Lambda::Permission')) {
      expect(JSON.stringify(permission.Properties.FunctionName)).not.toMatch(/ImportValue|Authorizer/);
    }
  });

  it('declares in lib/routes.ts exactly the routes its serverless.yml serves, and serves each behind that authorizer', () => {
    const served = Object.values(exampleYml.functions).flatMap((fn) => (fn.events ?? []).flatMap((event) => (event.http ? [event.http] : [])));
    expect(served.map((http) => `${http.method.toUpperCase()} ${http.path}`).sort()).toEqual(
      SERVICE_ROUTES.filter((route) => route.service === exampleYml.service).map((route) => `${route.method} ${route.path}`).sort(),
    );
    expect(served.map((http) => http.authorizer)).toEqual(served.map(() => '${self:custom.authorizer}'));
    const [[authorizerId]] = resourcesOfType(example, 'AWS::ApiGateway::Authorizer') as [[string, any]];
    const methods = resourcesOfType(example, 'AWS::ApiGateway::Method').filter(([, m]) => m.Properties.HttpMethod !== 'OPTIONS');
    expect(methods.length).toBe(served.length);
    for (const [id, method] of methods) {
      expect({ id, type: method.Properties.AuthorizationType, authorizer: method.Properties.AuthorizerId }).toEqual({ id, type: 'CUSTOM', authorizer: { Ref: authorizerId } });
    }
  });

  it("answers the gateway's own refusals and the authorizer's failures as serverless-auth's API does: same status, body and challenge or Retry-After", () => {
    const byType = (template: Record<string, any>): Record<string, any> =>
      Object.fromEntries(resourcesOfType(template, 'AWS::ApiGateway::GatewayResponse').map(([, r]) => [r.Properties.ResponseType, r.Properties]));
    const ours = byType(auth);
    const theirs = byType(example);
    for (const type of ['UNAUTHORIZED', 'ACCESS_DENIED', 'AUTHORIZER_FAILURE']) {
      expect({ type, status: theirs[type]?.StatusCode, body: theirs[type]?.ResponseTemplates }).toEqual({ type, status: ours[type].StatusCode, body: ours[type].ResponseTemplates });
      for (const header of ['WWW-Authenticate', 'Retry-After']) {
        const name = `gatewayresponse.header.${header}`;
        expect({ type, header, value: theirs[type].ResponseParameters[name] }).toEqual({ type, header, value: ours[type].ResponseParameters[name] });
      }
    }
  });

  it("gives the example's function no access to serverless-auth's table or signing key", () => {
    const statements = resourcesOfType(example, 'AWS::IAM::Role').flatMap(([, role]) => role.Properties.Policies.flatMap((p: any) => p.PolicyDocument.Statement));
    const actions = statements.flatMap((statement: any) => [statement.Action].flat() as string[]);
    expect(actions.length).toBeGreaterThan(0);
    for (const action of actions) expect(action).toMatch(/^logs:/);
  });

  it("holds the example's template to the AWS resource specification, as serverless-auth's is", () => {
    expect(specProblems(loadSpec(), example)).toEqual([]);
  });
});
