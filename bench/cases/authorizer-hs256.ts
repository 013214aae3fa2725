/**
 * Case 1: the authorizer handler, warm, HS256, on a real REQUEST event, beside the naive verify of
 * the seed examples and the hand-written floor. The handler is the production handler code
 * (lib/http/authorizer-handler.ts) around an AuthorizerService with the service's own verifier
 * (`accessTokens()`), whose account-state read is replaced by a constant `'live'`: the service has
 * no switch that turns revocation off, and must not have one. The DynamoDB requests per
 * authorization are counted to show that none is made. The layers under the handler are timed in
 * the same rounds, to show where its time goes; so is the same handler at the deployed log level,
 * INFO (an allow writes no line: it is logged at DEBUG), and at DEBUG, writing the allow line (every
 * other task runs with logs silenced).
 */
import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { AuthorizerService } from '../../lib/auth/authorizer-service';
import { config } from '../../lib/dependencies/config';
import { accessTokens } from '../../lib/dependencies/tokens';
import { authorizerHandler } from '../../lib/http/authorizer-handler';
import { bearerCredential } from '../../lib/http/bearer';
import { logger } from '../../lib/logger';
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
  const authorizer = new AuthorizerService(tokens, async () => 'live', logger);
  const handler = authorizerHandler(authorizer);

  assertAllowed(await handler(event, context));
  jwt.verify(token, secret); // the naive path must accept the same token
  jwt.verify(token, key, verifyOptions);
  floor(token);
  const dynamodb = await awsRequestsPerCall(() => handler(event, context), 200);
  const allowLineBytes = await stdoutBytesAtDebug(() => handler(event, context));
  if (allowLineBytes === 0) throw new Error('the authorizer wrote no allow line at DEBUG');

  // The case process's stdout is /dev/null (bench/child.ts): a line is formatted and written
  // as in Lambda, where stdout is a pipe to the runtime (a dearer write than /dev/null's).
  const atLevel = (level: 'INFO' | 'DEBUG') => ({
    fn: () => handler(event, context),
    beforeAll: () => logger.setLogLevel(level),
    afterAll: () => logger.setLogLevel('SILENT'),
  });
  const { handler: handlerTiming, naive, floor: floorTiming, handlerLogged, handlerDebug, ...breakdown } = await measureSideBySide(
    {
      handler: () => handler(event, context),
      naive: () => jwt.verify(token, secret),
      floor: () => floor(token),
      handlerLogged: atLevel('INFO'),
      handlerDebug: atLevel('DEBUG'),
      authorize: () => authorizer.authorize(token, event.methodArn),
      tokensVerify: () => tokens.verify(token),
      jsonwebtoken: () => jwt.verify(token, key, verifyOptions),
      bearer: () => bearerCredential(event),
    },
    { rounds: 4, timeMs: 150, iterations: 100, warmupTimeMs: 60, warmupIterations: 50 },
  );
  return { handler: handlerTiming, naive, floor: floorTiming, handlerLogged, handlerDebug, allowLineBytes, breakdown, dynamodb };
});

/** Bytes `run` writes to stdout with the log level at DEBUG. */
async function stdoutBytesAtDebug(run: () => Promise<unknown>): Promise<number> {
  const write = process.stdout.write;
  let bytes = 0;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    bytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
    return true;
  }) as typeof process.stdout.write;
  logger.setLogLevel('DEBUG');
  try {
    await run();
  } finally {
    process.stdout.write = write;
    logger.setLogLevel('SILENT');
  }
  return bytes;
}
