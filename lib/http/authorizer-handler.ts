import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent, Context, Statement } from 'aws-lambda';
import type { VerifiedAccessToken } from '../auth/access-tokens';
import type { AuthorizerService } from '../auth/authorizer-service';
import { InvalidTokenError, SigningKeyUnavailableError, StorageUnavailableError } from '../errors';
import { logger } from '../logger';
import { bearerCredential, isB64Token } from './bearer';

export type AuthorizerHandler = (event: APIGatewayRequestAuthorizerEvent, context: Context) => Promise<APIGatewayAuthorizerResult>;

/**
 * The REQUEST authorizer around a given AuthorizerService (handlers/authorizer.ts hands it the
 * container's own). API Gateway's contract: return a policy, or throw exactly Error('Unauthorized')
 * for a 401; anything else thrown is AUTHORIZER_FAILURE, which serverless.yml's GatewayResponse
 * turns into a 503 with Retry-After. So a bad token is a 401, and a store that cannot answer is a
 * 503 (our fault: the client must keep its tokens and retry); both fail closed, never an Allow.
 * The policy of a Deny lists what the token allows too: a cached answer is right for every route.
 */
export function authorizerHandler(authorizer: AuthorizerService): AuthorizerHandler {
  return async (event, context) => {
    logger.addContext(context);
    // bearerToken(event), with its b64token check of the token's characters (a scan of every one)
    // made only on a refusal: whatever the authorizer accepts is a compact JWS, whose characters
    // are all b64token ones, so a request without a well-formed bearer token is refused as such.
    const credential = bearerCredential(event);
    if (credential === undefined) throw unauthorized('no_bearer_token');
    let decision;
    try {
      decision = await authorizer.authorize(credential, event.methodArn);
    } catch (error) {
      if (!isB64Token(credential)) throw unauthorized('no_bearer_token');
      if (error instanceof InvalidTokenError) throw unauthorized(error.reason);
      throw unavailable(error);
    }
    const { token: verified, allowed } = decision;
    const allow: Statement = { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [...allowed] };
    const statements: Statement[] =
      decision.effect === 'Deny' ? [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [decision.denied] }, allow] : [allow];
    return {
      principalId: verified.sub,
      policyDocument: { Version: '2012-10-17', Statement: statements },
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

/** Anything but a bad token: an outage (logged at WARN with its cause's name) or a bug (ERROR). */
function unavailable(error: unknown): Error {
  if (error instanceof StorageUnavailableError) {
    logger.warn('authorization failed: storage unavailable', { event: 'authorize', outcome: 'error', reason: 'storage_unavailable', cause: nameOf(error.cause) });
  } else if (error instanceof SigningKeyUnavailableError) {
    // Not a storage outage: the key's SSM parameter, or the role that reads it, is what to look at.
    logger.warn('authorization failed: signing key unavailable', { event: 'authorize', outcome: 'error', reason: 'signing_key_unavailable', cause: nameOf(error.cause) });
  } else {
    logger.error('authorization failed: unexpected error', { event: 'authorize', outcome: 'error', reason: 'unexpected', errorName: nameOf(error) });
  }
  return new Error('AuthorizerFailure');
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

function unauthorized(reason: string): Error {
  logger.info('authorization refused', { event: 'authorize', outcome: 'unauthorized', reason });
  return new Error('Unauthorized');
}
