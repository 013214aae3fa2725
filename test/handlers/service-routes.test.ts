/**
 * The authorizer in front of another service's API (lib/routes.ts SERVICE_ROUTES): the same
 * handler, called with that API's method ARN, as API Gateway does for a stack that references it
 * by ARN (docs/other-services.md).
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { handler as authorizer } from '../../handlers/authorizer';
import { handler as logout } from '../../handlers/logout';
import { accessTokens } from '../../lib/dependencies/tokens';
import { SERVICE_ROUTES } from '../../lib/routes';
import { authorizedEvent, authorizerEvent, lambdaContext } from '../support/events';
import { createAdmin, expectUnauthorized, registerUser, tokenFor } from './helpers';

/** Another REST API of the same account: its own id, its own stage. */
const OTHER_API = 'arn:aws:execute-api:us-east-1:123456789012:zyxw987654/prod';

const authorizeOn = (api: string, token: string, method: string, path: string): Promise<APIGatewayAuthorizerResult> =>
  authorizer(
    { ...authorizerEvent({ method, path, headers: { Authorization: `Bearer ${token}` } }), methodArn: `${api}/${method}${path}` },
    lambdaContext('authorizer'),
  );
type Statement = { Action: string; Effect: string; Resource: string[] };
const statementsOf = (result: APIGatewayAuthorizerResult) => result.policyDocument.Statement as Statement[];
/** The one statement of an Allow. */
const statementOf = (result: APIGatewayAuthorizerResult) => statementsOf(result)[0] as Statement;

describe("the authorizer on another service's route (GET /hello of examples/greeter)", () => {
  let user: { id: string; username: string };
  let userToken: string;

  beforeAll(async () => {
    user = await registerUser();
    userToken = await tokenFor(user.username);
  });

  it("allows a user, with a policy of that API's id and stage listing exactly that service's routes the token opens", async () => {
    const result = await authorizeOn(OTHER_API, userToken, 'GET', '/hello');
    expect(result.principalId).toBe(user.id);
    const greeter = SERVICE_ROUTES.filter((route) => route.service === 'greeter');
    expect(statementOf(result)).toEqual({
      Action: 'execute-api:Invoke',
      Effect: 'Allow',
      Resource: greeter.map((route) => `${OTHER_API}/${route.method}${route.path}`),
    });
    expect(result.context).toMatchObject({ sub: user.id, username: user.username, roles: 'user' });
  });

  it("lists none of this service's routes in that policy, and none of the other service's in this one's", async () => {
    const other = statementOf(await authorizeOn(OTHER_API, userToken, 'GET', '/hello'));
    expect(other.Resource.filter((resource) => resource.endsWith('/GET/me'))).toEqual([]);
    const own = statementOf((await authorizeOn('arn:aws:execute-api:us-east-1:123456789012:abcdef1234/dev', userToken, 'GET', '/me')));
    expect(own.Effect).toBe('Allow');
    expect(own.Resource.filter((resource) => resource.endsWith('/GET/hello'))).toEqual([]);
  });

  it('denies (403) a live token whose scope lacks the permission, and allows an admin (whose roles include it)', async () => {
    // No role lacks profile:read today: a token of the user's live session with a narrower scope.
    const claims = await accessTokens().verify(userToken);
    const narrow = await accessTokens().issue({ sub: claims.sub, username: claims.username, roles: ['user'], scope: 'profile:write', sid: claims.sid, ver: claims.ver });
    const denied = await authorizeOn(OTHER_API, narrow.token, 'GET', '/hello');
    // Explicitly denied, beside the greeter routes profile:write opens (none), so a cached answer is right there too.
    expect(statementsOf(denied)).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${OTHER_API}/GET/hello`] },
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [] },
    ]);
    const admin = await createAdmin();
    expect(statementOf(await authorizeOn(OTHER_API, admin.token, 'GET', '/hello')).Effect).toBe('Allow');
  });

  it('denies a route nobody declared in lib/routes.ts, allowing beside it what the token opens on any service (the API is unknown)', async () => {
    const [deny, allow] = statementsOf(await authorizeOn(OTHER_API, userToken, 'GET', '/orders'));
    expect(deny).toEqual({ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${OTHER_API}/GET/orders`] });
    expect(allow?.Effect).toBe('Allow');
    expect(allow?.Resource).toEqual(expect.arrayContaining([`${OTHER_API}/GET/hello`, `${OTHER_API}/GET/me`]));
  });

  it("refuses (401) the token on the other service's route at once after logout on this one", async () => {
    const someone = await registerUser();
    const token = await tokenFor(someone.username);
    expect(statementOf(await authorizeOn(OTHER_API, token, 'GET', '/hello')).Effect).toBe('Allow');
    const loggedOut = await logout(await authorizedEvent(token, { method: 'POST', resource: '/auth/logout' }), lambdaContext('logout'));
    expect(loggedOut.statusCode).toBe(204);
    await expectUnauthorized(authorizeOn(OTHER_API, token, 'GET', '/hello'));
  });
});
