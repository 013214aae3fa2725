/**
 * The settings a running `npm start` gives its functions, kept while it runs in a git-ignored
 * file per HTTP port (`.local/run-<PORT>.json`, readable by this user only). Native Serverless
 * commands read it to reach the same DynamoDB Local with the same signing key and issuer:
 * `serverless invoke local` here (scripts/serverless-local.js) and the example service's offline
 * authorizer (examples/greeter). The signing key in it is the run's own (generated unless
 * JWT_SECRET or JWT_PRIVATE_KEY was given) and the file goes when the run ends.
 *
 * CommonJS: Serverless loads plugins with require().
 */
const { mkdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const RUN_DIR = join(__dirname, '..', '.local');

/**
 * What a local run gives its functions beyond serverless.yml's `provider.environment`: the address
 * of DynamoDB Local and the signing key itself (deployed functions read the key's SSM parameter).
 */
const LOCAL_ONLY_VARIABLES = ['DYNAMODB_ENDPOINT', 'JWT_SECRET', 'JWT_PRIVATE_KEY'];

/** @param {number | string} port */
function runFile(port) {
  return join(RUN_DIR, `run-${port}.json`);
}

/**
 * @typedef {{ pid: number, url: string, environment: Record<string, string> }} LocalRun
 * pid: the serverless offline process; url: the base URL it serves; environment: its functions' settings.
 */

/** @param {number | string} port @param {LocalRun} run */
function writeRun(port, run) {
  mkdirSync(RUN_DIR, { recursive: true, mode: 0o700 });
  const path = runFile(port);
  // A left-over file of a killed run may belong to nobody else, but its mode is not ours to trust.
  rmSync(path, { force: true });
  writeFileSync(path, `${JSON.stringify(run, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
}

/**
 * The run on this port, or undefined when there is none: no file, or one left by a run that was
 * killed before it could remove it.
 * @param {number | string} port @returns {LocalRun | undefined}
 */
function readRun(port) {
  let run;
  try {
    run = JSON.parse(readFileSync(runFile(port), 'utf8'));
  } catch {
    return undefined;
  }
  return isAlive(run.pid) ? run : undefined;
}

/** Removes the run file if it is still the one this process wrote. @param {number | string} port @param {number} pid */
function removeRun(port, pid) {
  try {
    if (JSON.parse(readFileSync(runFile(port), 'utf8')).pid === pid) rmSync(runFile(port), { force: true });
  } catch {
    // already gone
  }
}

/** @param {unknown} pid */
function isAlive(pid) {
  if (typeof pid !== 'number') return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

module.exports = { LOCAL_ONLY_VARIABLES, readRun, removeRun, runFile, writeRun };
