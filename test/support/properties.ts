/**
 * fast-check settings shared by every property test; import `fc` from here, not from fast-check.
 *
 * - Few runs by default (the handler properties go through DynamoDB Local); FC_NUM_RUNS=<n> runs
 *   every property n times, for a longer hunt.
 * - A property cut short by its time limit fails, instead of passing on fewer cases than it claims.
 * - A failure prints its seed and shrink path with the command that replays exactly that case:
 *   FC_SEED=<seed> FC_PATH=<path> npx jest <file> -t '<test name>'.
 */
import { fc } from '@fast-check/jest';

const seed = process.env['FC_SEED'];
const path = process.env['FC_PATH'];

fc.configureGlobal({
  numRuns: Number(process.env['FC_NUM_RUNS'] ?? 100),
  markInterruptAsFailure: true,
  ...(seed === undefined || seed === '' ? {} : { seed: Number(seed) }),
  ...(path === undefined || path === '' ? {} : { path }),
  reporter: (details) => {
    if (!details.failed) return;
    const replay = `Replay this case: FC_SEED=${details.seed} FC_PATH=${details.counterexamplePath ?? ''} npx jest ${testFile()} -t ${testName()}`;
    throw new Error(`${fc.defaultReportMessage(details)}\n\n${replay}`, { cause: details.errorInstance });
  },
});

function testFile(): string {
  return expect.getState().testPath?.replace(`${process.cwd()}/`, '') ?? '<test file>';
}

/** The running test's full name as a shell-quoted -t pattern. */
function testName(): string {
  const name = expect.getState().currentTestName ?? '<test name>';
  return `'${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/'/g, `'\\''`)}'`;
}

/** A string with everything outside printable ASCII spelled as \u{…}, for readable failure messages. */
export function visible(text: string): string {
  return JSON.stringify(text).replace(/[^\x20-\x7e]/gu, (char) => `\\u{${char.codePointAt(0)?.toString(16)}}`);
}

/** A property's own run count, unless FC_NUM_RUNS says otherwise. */
export function runs(numRuns: number): { numRuns: number } {
  return { numRuns: Number(process.env['FC_NUM_RUNS'] ?? numRuns) };
}

export { fc };
