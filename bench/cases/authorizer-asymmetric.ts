/**
 * Case 3: RS256 or ES256 through the authorizer, beside the one-crypto.verify floor for that
 * algorithm. The parent sets JWT_ALG, JWT_PRIVATE_KEY (PEM) and JWT_KEY_ID. Whether this build
 * supports them is found out, not assumed: the service must start with them and a token it
 * issues under them must carry that `alg`. Otherwise the case says why it is not available.
 */
import { runCaseMain } from '../child';
import { measureSideBySide } from '../measure';
import type { AuthorizerAsymmetricResult, SigningAlg } from '../results';

runCaseMain(async (): Promise<AuthorizerAsymmetricResult> => {
  const alg = process.env['JWT_ALG'] as SigningAlg;
  if (alg !== 'RS256' && alg !== 'ES256') throw new Error('JWT_ALG must be RS256 or ES256 for this case.');
  const privateKeyPem = process.env['JWT_PRIVATE_KEY'] ?? '';

  // Imported here, not at the top: with settings it does not know, this build may refuse to start.
  let modules;
  try {
    modules = {
      authorizer: await import('../../handlers/authorizer'),
      events: await import('../../test/support/events'),
      support: await import('./support'),
      requests: await import('../aws-requests'),
    };
  } catch (error) {
    return { alg, available: false, reason: `the service would not start: ${messageOf(error)}` };
  }
  const { authorizer, events, support, requests } = modules;
  requests.countAwsRequests();

  let account;
  try {
    account = await support.benchAccount();
  } catch (error) {
    return { alg, available: false, reason: `no token could be issued: ${messageOf(error)}` };
  }
  const issuedAlg = support.jwsHeader(account.token)['alg'];
  if (issuedAlg !== alg) {
    return { alg, available: false, reason: `a token issued with JWT_ALG=${alg} came out ${String(issuedAlg)}` };
  }

  const event = support.meAuthorizerEvent(account.token);
  const context = events.lambdaContext('authorizer');
  const floor = support.signatureFloor(alg, privateKeyPem);
  support.assertAllowed(await authorizer.handler(event, context));
  floor(account.token);
  const dynamodb = await support.awsRequestsPerCall(() => authorizer.handler(event, context), 100);

  const timings = await measureSideBySide(
    { handler: () => authorizer.handler(event, context), floor: () => floor(account.token) },
    { rounds: 4, timeMs: 200, iterations: 100, warmupTimeMs: 100, warmupIterations: 30 },
  );
  return { alg, available: true, ...timings, dynamodb };
});

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
