/**
 * Makes the native Serverless commands work beside `npm start`, or say at once what to do
 * (docs/local-development.md):
 * - `serverless offline` started by `npm start` (which hands it DYNAMODB_ENDPOINT and the signing
 *   key) records its functions' settings for the other commands (scripts/local-run.js); started
 *   alone it has no database and no key, so it stops before building anything and points to
 *   `npm start`.
 * - `serverless invoke local` on the local stage runs the function with the settings of the
 *   `npm start` running on PORT (default 3000): its DynamoDB Local, signing key and issuer, so a
 *   token it issues works against that server and the other way round. With none running it stops
 *   at once and says so. Other stages are left alone.
 *
 * CommonJS: Serverless loads plugins with require().
 */
const { LOCAL_ONLY_VARIABLES, readRun, removeRun, writeRun } = require('./local-run');

/** The stage `npm start` runs (scripts/settings.ts LOCAL_STAGE). */
const LOCAL_STAGE = 'dev';

class ServerlessLocal {
  constructor(serverless, options) {
    this.serverless = serverless;
    this.options = options;
    this.hooks = {
      initialize: () => this.initialize(),
      // After Serverless has set the function's variables from serverless.yml, so that the run's win.
      'after:invoke:local:loadEnvVars': () => this.useRun(),
    };
  }

  initialize() {
    const [command, subcommand] = this.serverless.processedInput.commands;
    if (command === 'offline') this.recordOfflineRun();
    if (command === 'invoke' && subcommand === 'local') this.findRun();
  }

  recordOfflineRun() {
    if (!process.env.DYNAMODB_ENDPOINT) {
      throw new this.serverless.classes.Error(
        'Run `npm start` instead of `serverless offline`: it starts DynamoDB Local, creates the table, the first admin and a signing key, then runs serverless offline with them (docs/local-development.md).',
      );
    }
    const { provider } = this.serverless.service;
    const port = this.port();
    const environment = { ...stringsOf(provider.environment), AWS_REGION: provider.region };
    for (const name of LOCAL_ONLY_VARIABLES) if (process.env[name]) environment[name] = process.env[name];
    const pid = process.pid;
    writeRun(port, { pid, url: `http://localhost:${port}/${this.stage()}`, environment });
    process.once('exit', () => removeRun(port, pid));
  }

  findRun() {
    if (this.stage() !== LOCAL_STAGE) return;
    // Build into a folder of its own: the running server serves its bundles from the default one,
    // and a worker must never load a file this command is halfway through writing.
    if (!process.env.ESBUILD_WORK_FOLDER) this.serverless.service.custom.esbuild.outputWorkFolder = '.esbuild-invoke-local';
    const port = this.port();
    this.run = readRun(port);
    // Someone with their own DynamoDB Local and keys in the environment knows what they are doing.
    if (this.run === undefined && !process.env.DYNAMODB_ENDPOINT) {
      throw new this.serverless.classes.Error(
        `serverless invoke local runs the function against a running \`npm start\` (its DynamoDB Local and signing key), and none runs on port ${port}: start \`npm start\` first, or set PORT to the port it uses (docs/local-development.md).`,
      );
    }
  }

  useRun() {
    if (this.run === undefined) return;
    Object.assign(process.env, this.run.environment);
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  }

  port() {
    return this.serverless.service.custom['serverless-offline'].httpPort;
  }

  stage() {
    return this.options.stage ?? this.serverless.service.provider.stage;
  }
}

/** The variables Serverless resolved to strings (an unset optional one is '' here, as in Lambda). */
function stringsOf(variables = {}) {
  return Object.fromEntries(Object.entries(variables).filter(([, value]) => typeof value === 'string'));
}

module.exports = ServerlessLocal;
