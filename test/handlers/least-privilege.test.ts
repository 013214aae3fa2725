/*
 * The authorizer has an IAM role of its own (AuthorizerRole in serverless.yml) that allows one
 * DynamoDB action, BatchGetItem; test/unit/template.test.ts checks the role. DynamoDB Local
 * enforces no IAM, so this is where a new call on the authorizer's path would show before it
 * became an AccessDenied, and so a 401 for every request, on AWS.
 */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import { handler as authorizer } from '../../handlers/authorizer';
import { handler as adminDeleteUser } from '../../handlers/admin-delete-user';
import { handler as logout } from '../../handlers/logout';
import { documentClient } from '../../lib/dependencies/storage';
import { authorizedEvent, authorizerEvent, lambdaContext } from '../support/events';
import { createAdmin, registerUser, tokenFor } from './helpers';

/** The DynamoDB operations the container's one client sends, in order. */
const sent: string[] = [];
documentClient().middlewareStack.add(
  (next, context) => async (args) => {
    sent.push(String(context.commandName));
    return next(args);
  },
  { step: 'initialize', name: 'recordOperations' },
);

/** The authorizer's answer to one request, and the DynamoDB operations it sent for it. */
async function authorizeRecording(token: string, method: string, path: string): Promise<{ outcome: string; operations: string[] }> {
  sent.length = 0;
  let outcome: string;
  try {
    const result: APIGatewayAuthorizerResult = await authorizer(
      authorizerEvent({ method, path, headers: { Authorization: `Bearer ${token}` } }),
      lambdaContext('authorizer'),
    );
    outcome = (result.policyDocument.Statement[0] as { Effect: string }).Effect;
  } catch (error) {
    outcome = (error as Error).message;
  }
  return { outcome, operations: [...sent] };
}

describe('what the authorizer asks of DynamoDB, on every path', () => {
  it('is one BatchGetItem whether it allows, denies or refuses, and nothing for a token that does not verify', async () => {
    const admin = await createAdmin();
    const [kept, loggedOut, deleted] = [await registerUser(), await registerUser(), await registerUser()];
    const keptToken = await tokenFor(kept.username);
    const loggedOutToken = await tokenFor(loggedOut.username);
    const deletedToken = await tokenFor(deleted.username);
    expect((await logout(await authorizedEvent(loggedOutToken, { method: 'POST', resource: '/auth/logout' }), lambdaContext('logout'))).statusCode).toBe(204);
    const deletion = await adminDeleteUser(
      await authorizedEvent(admin.token, { method: 'DELETE', resource: '/admin/users/{id}', pathParameters: { id: deleted.id } }),
      lambdaContext('adminDeleteUser'),
    );
    expect(deletion.statusCode).toBe(204);

    const outcomes = [
      await authorizeRecording(keptToken, 'GET', '/me'),
      await authorizeRecording(keptToken, 'GET', '/admin/users'),
      await authorizeRecording(loggedOutToken, 'GET', '/me'),
      await authorizeRecording(deletedToken, 'GET', '/me'),
      await authorizeRecording(`${keptToken.slice(0, -2)}xx`, 'GET', '/me'),
    ];

    expect(outcomes).toEqual([
      { outcome: 'Allow', operations: ['BatchGetItemCommand'] },
      { outcome: 'Deny', operations: ['BatchGetItemCommand'] },
      { outcome: 'Unauthorized', operations: ['BatchGetItemCommand'] },
      { outcome: 'Unauthorized', operations: ['BatchGetItemCommand'] },
      { outcome: 'Unauthorized', operations: [] },
    ]);
  });
});
