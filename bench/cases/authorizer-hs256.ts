/**
 * Case 1: the exported authorizer handler, warm, HS256, on a real REQUEST event, beside the naive
 * verify of the seed examples and the hand-written floor. The parent runs this process with the
 * account-state read turned off (bench/settings.ts), and the DynamoDB requests per authorization
 * are counted, so a flag that does not take effect shows up in the table instead of in the timing.
 * The layers under the handler are timed in the same rounds, to show where its time goes.
 */
import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { handler } from '../../handlers/authorizer';
import { accessTokens, authorizerService, config } from '../../lib/dependencies';
import { bearerToken } from '../../lib/http/bearer';
import { lambdaContext } from '../../test/support/events';
import { countAwsRequests } from '../aws-requests';
import { runCaseMain } from '../child';
import { measureSideBySide } from '../measure';
import type { AuthorizerHs256Result } from '../results';
import { assertAllowed, awsRequestsPerCall, benchAccount, hmacFloor, meAuthorizerEvent, requiredEnv } from './support';

runCaseMain(async (): Promise<AuthorizerHs256Result> => {
  countAwsRequests();
  const secret = requiredEnv('JWT_SECRET');
  const { token } = await benchAccount();
  const event = meAuthorizerEvent(token);
  const context = lambdaContext('authorizer');
  const floor = hmacFloor(secret);
  // What lib/auth/access-tokens.ts hands jsonwebtoken: a KeyObject and the same options.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const { issuer, audience } = config();
  const verifyOptions = { algorithms: ['HS256' as const], issuer, audience, clockTolerance: 30 };
  const tokens = accessTokens();
  const authorizer = authorizerService();

  assertAllowed(await handler(event, context));
  jwt.verify(token, secret); // the naive path must accept the same token
  jwt.verify(token, key, verifyOptions);
  floor(token);
  const dynamodb = await awsRequestsPerCall(() => handler(event, context), 200);

  const { handler: handlerTiming, naive, floor: floorTiming, ...breakdown } = await measureSideBySide(
    {
      handler: () => handler(event, context),
      naive: () => jwt.verify(token, secret),
      floor: () => floor(token),
      authorize: () => authorizer.authorize(token, event.methodArn),
      tokensVerify: () => tokens.verify(token),
      jsonwebtoken: () => jwt.verify(token, key, verifyOptions),
      bearer: () => bearerToken(event),
    },
    { rounds: 4, timeMs: 150, iterations: 100, warmupTimeMs: 60, warmupIterations: 50 },
  );
  return { handler: handlerTiming, naive, floor: floorTiming, breakdown, dynamodb };
});
