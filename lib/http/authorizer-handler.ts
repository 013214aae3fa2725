import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context } from 'aws-lambda';
import type { VerifiedAccessToken } from '../auth/access-tokens';
import type { AuthorizerService } from '../auth/authorizer-service';
import { logger } from '../logger';
import { bearerToken } from './bearer';

export type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEvent, context: Context) => Promise<APIGatewayAuthorizerResult>;

/**
 * The REQUEST authorizer around a given AuthorizerService (handlers/authorizer.ts hands it the
 * container's own). API Gateway's contract: return an Allow or Deny policy, or throw exactly
 * Error('Unauthorized') for a 401; anything else thrown is a 500. So every failure, including a
 * storage outage, ends in 'Unauthorized': it fails closed.
 */
export function authorizerHandler(authorizer: AuthorizerService): AuthorizerHandler {
  return async (event, context) => {
    logger.addContext(context);
    const token = bearerToken(event);
    if (token === undefined) throw unauthorized('no_bearer_token');
    let decision;
    try {
      decision = await authorizer.authorize(token, event.methodArn);
    } catch (error) {
      throw unauthorized(error instanceof Error && 'reason' in error ? String(error.reason) : 'error');
    }
    const { token: verified, effect, resources } = decision;
    return {
      principalId: verified.sub,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: [...resources] }],
      },
      context: authorizerContext(verified),
    };
  };
}

/**
 * What API Gateway hands a protected handler in `requestContext.authorizer` (lib/http/caller.ts reads
 * it). Its own function so that test/support/protected-event.ts builds the very same thing.
 * API Gateway allows only string, number and boolean values here: lists are joined.
 */
export function authorizerContext(token: Pick<VerifiedAccessToken, 'sub' | 'username' | 'roles' | 'scope' | 'jti' | 'sid'>): Record<string, string> {
  return {
    sub: token.sub,
    username: token.username,
    roles: token.roles.join(','),
    scope: token.scope,
    jti: token.jti,
    sid: token.sid,
  };
}

function unauthorized(reason: string): Error {
  logger.info('authorization refused', { event: 'authorize', outcome: 'unauthorized', reason });
  return new Error('Unauthorized');
}
