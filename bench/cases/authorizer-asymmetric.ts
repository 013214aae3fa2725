/**
 * Case 3: RS256 or ES256 through the authorizer, beside the one-crypto.verify floor for that
 * algorithm. The parent sets JWT_ALG and JWT_PRIVATE_KEY (PEM); the `kid` is the key's
 * thumbprint, as README recommends. As in case 1, the handler is the production handler code around
 * an AuthorizerService with the service's verifier and the account-state read replaced by a
 * constant. A token the service issues must come out with that `alg` and a `kid`, or the case says
 * why it is not available.
 */
import { AuthorizerService } from '../../lib/auth/authorizer-service';
import { accessTokens } from '../../lib/dependencies/tokens';
import { authorizerHandler } from '../../lib/http/authorizer-handler';
import { logger } from '../../lib/logger';
import { lambdaContext } from '../../test/support/events';
import { countAwsRequests } from '../aws-requests';
import { runCaseMain } from '../child';
import { measureSideBySide } from '../measure';
import type { AuthorizerAsymmetricResult, SigningAlg } from '../results';
import { assertAllowed, awsRequestsPerCall, benchAccount, jwsHeader, meAuthorizerEvent, requiredEnv, signatureFloor } from './support';

runCaseMain(async (): Promise<AuthorizerAsymmetricResult> => {
  const alg = requiredEnv('JWT_ALG') as SigningAlg;
  if (alg !== 'RS256' && alg !== 'ES256') throw new Error('JWT_ALG must be RS256 or ES256 for this case.');
  countAwsRequests();
  const account = await benchAccount();
  const header = jwsHeader(account.token);
  if (header['alg'] !== alg || typeof header['kid'] !== 'string') {
    return { alg, available: false, reason: `a token issued with JWT_ALG=${alg} came out with header ${JSON.stringify(header)}` };
  }

  const handler = authorizerHandler(new AuthorizerService(accessTokens(), async () => 'live', logger));
  const event = meAuthorizerEvent(account.token);
  const context = lambdaContext('authorizer');
  const floor = signatureFloor(alg, requiredEnv('JWT_PRIVATE_KEY'));
  assertAllowed(await handler(event, context));
  floor(account.token);
  const dynamodb = await awsRequestsPerCall(() => handler(event, context), 100);

  const timings = await measureSideBySide(
    { handler: () => handler(event, context), floor: () => floor(account.token) },
    { rounds: 4, timeMs: 200, iterations: 100, warmupTimeMs: 100, warmupIterations: 30 },
  );
  return { alg, available: true, kid: header['kid'], ...timings, dynamodb };
});
