import { Readable } from 'node:stream';
import { authorizerRefusalFilter } from '../../scripts/offline-output';

/** What the filter makes of this output, given in chunks as a pipe may cut it. */
async function filtered(chunks: (string | Buffer)[]): Promise<string> {
  let text = '';
  for await (const piece of Readable.from(chunks).pipe(authorizerRefusalFilter('authorizer'))) text += String(piece);
  return text;
}

// serverless-offline 13's output for one refused token, as `npm start` printed it before the filter.
const REFUSAL = [
  'Running Authorization function for get /dev/me (λ: authorizer)',
  '{"level":"INFO","message":"authorization refused","outcome":"unauthorized","reason":"malformed"}',
  "× Unhandled exception in handler 'authorizer'.",
  '× Error: Unauthorized',
  '      at aMe (/work/app/.esbuild/.build/handlers/authorizer.js:126:22749)',
  '      at /work/app/.esbuild/.build/handlers/authorizer.js:126:22312',
  '      at async MessagePort.<anonymous> (file:///work/app/node_modules/serverless-offline/src/lambda/handler-runner/worker-thread-runner/workerThreadHelper.js:24:14)',
  'Authorization function returned an error response: (λ: authorizer)',
  '',
].join('\n');

describe("npm start's filter on serverless-offline's output", () => {
  it("turns a refused token's 'Unhandled exception' and stack into one line, keeping the authorizer's reason above it", async () => {
    expect(await filtered([REFUSAL])).toBe(
      [
        'Running Authorization function for get /dev/me (λ: authorizer)',
        '{"level":"INFO","message":"authorization refused","outcome":"unauthorized","reason":"malformed"}',
        "(λ: authorizer) token refused: 401 Unauthorized (thrown by the authorizer's contract with API Gateway; not a crash)",
        'Authorization function returned an error response: (λ: authorizer)',
        '',
      ].join('\n'),
    );
  });

  it('does the same whatever the chunks (cut inside a character too), ANSI colours included', async () => {
    const coloured = Buffer.from(REFUSAL.replace('× Error: Unauthorized', '\x1b[31m× Error: Unauthorized\x1b[39m'));
    const chunks = Array.from({ length: Math.ceil(coloured.length / 7) }, (_, i) => coloured.subarray(i * 7, i * 7 + 7));
    expect(await filtered(chunks)).toBe(await filtered([REFUSAL]));
  });

  it('says in one line that a request came without an Authorization header', async () => {
    expect(await filtered(['× Identity Source is null for header authorization (λ: authorizer)\n'])).toBe('(λ: authorizer) no Authorization header: 401 Unauthorized\n');
  });

  it('leaves every other exception as it is, of the authorizer too, and the output of other functions', async () => {
    const crash = ["× Unhandled exception in handler 'authorizer'.", '× TypeError: x is not a function', '      at f (a.js:1:1)', ''].join('\n');
    expect(await filtered([crash])).toBe(crash);
    const other = ["× Unhandled exception in handler 'login'.", '× Error: Unauthorized', '      at f (a.js:1:1)', ''].join('\n');
    expect(await filtered([other])).toBe(other);
    expect(await filtered(["× Unhandled exception in handler 'authorizer'."])).toBe("× Unhandled exception in handler 'authorizer'.");
  });
});
