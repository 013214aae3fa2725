import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { stripVTControlCharacters } from 'node:util';

/**
 * serverless-offline prints every exception a handler throws as a crash, with its stack. A REQUEST
 * authorizer's contract with API Gateway is to throw exactly Error('Unauthorized') for a 401 (a
 * Deny policy is a 403, anything else thrown a 500), so every refused token looked like a crash in
 * `npm start`'s output. This filter, on serverless-offline's output, replaces exactly those lines
 * with one saying what happened; the authorizer's own log line just above already names the
 * reason. Any other exception, of the authorizer too, passes untouched.
 */
export function authorizerRefusalFilter(functionKey: string): Transform {
  const unhandled = `Unhandled exception in handler '${functionKey}'.`;
  const noHeader = `Identity Source is null for header authorization (λ: ${functionKey})`;
  // A pipe may cut a chunk inside a character (λ and × are two bytes each).
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let held: string | undefined;
  let inStack = false;

  const lineOut = (line: string, out: string[]): void => {
    const plain = stripVTControlCharacters(line).trim();
    if (held !== undefined) {
      const previous = held;
      held = undefined;
      if (/^(× )?Error: Unauthorized$/.test(plain)) {
        out.push(`(λ: ${functionKey}) token refused: 401 Unauthorized (thrown by the authorizer's contract with API Gateway; not a crash)`);
        inStack = true;
        return;
      }
      out.push(previous);
    }
    if (inStack) {
      if (/^at /.test(plain)) return;
      inStack = false;
    }
    if (plain.endsWith(unhandled)) {
      held = line;
      return;
    }
    if (plain.endsWith(noHeader)) {
      out.push(`(λ: ${functionKey}) no Authorization header: 401 Unauthorized`);
      return;
    }
    out.push(line);
  };

  return new Transform({
    transform(chunk: Buffer | string, _encoding, done) {
      const lines = (partial + (typeof chunk === 'string' ? chunk : decoder.write(chunk))).split('\n');
      partial = lines.pop() ?? '';
      const out: string[] = [];
      lines.forEach((line) => lineOut(line, out));
      done(null, out.map((line) => `${line}\n`).join(''));
    },
    flush(done) {
      partial += decoder.end();
      const out: string[] = [];
      if (partial !== '') lineOut(partial, out);
      if (held !== undefined) out.push(held);
      done(null, out.join('\n') + (out.length > 0 && partial === '' ? '\n' : ''));
    },
  });
}
