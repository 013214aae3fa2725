/**
 * Case 5: what each function costs to load. For every function in serverless.yml: the bundle
 * `serverless package` writes (size, and the time to require it and get its handler in a fresh
 * `node`), beside a bundle of only its third-party imports, built here with the same esbuild
 * options. An esbuild metafile of the same build (checked to be byte for byte the same size as
 * the packaged one) says which packages each bundle holds and through which import chain.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, isBuiltin } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import * as esbuild from 'esbuild';
import yaml from 'js-yaml';
import ts from 'typescript';
import { median } from './measure';
import { readZip } from './zip';

const ROOT = join(__dirname, '..');
const loadModule = createRequire(__filename);
/** Fresh processes per bundle; the two bundles of a function alternate. */
export const LOAD_RUNS = 7;

/** Set for a load that creates process.stdout and process.stderr before it starts timing. */
const STDIO_READY = 'BENCH_STDIO_READY';
/** How the labels of such loads say so. */
export const STDIO_READY_LABEL = 'loaded with process.stdout/stderr already created';

/** Packages worth naming when a function holds one it has no use for. */
const WATCHED = ['bcryptjs', 'jsonwebtoken', '@aws-sdk/client-ssm', '@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'] as const;
type Watched = (typeof WATCHED)[number];
const DYNAMODB: readonly Watched[] = ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb'];
const SSM: Watched = '@aws-sdk/client-ssm';

/**
 * Which watched packages each function's code path uses, read from the handlers: token signing
 * or verifying needs jsonwebtoken and, deployed, the SSM client (the signing key or secret is
 * fetched once per container; the JWKS derives the public keys from it); password checks and new
 * passwords need bcryptjs; account and session reads and writes need DynamoDB. The authorizer's
 * DynamoDB use is measured (cases 1 and 2), not assumed.
 */
function neededPackages(functionName: string, authorizerReadsDynamoDb: boolean): readonly Watched[] | undefined {
  const tokens: Watched[] = ['jsonwebtoken', SSM];
  const table: Record<string, readonly Watched[]> = {
    authorizer: [...tokens, ...(authorizerReadsDynamoDb ? DYNAMODB : [])],
    register: ['bcryptjs', ...DYNAMODB],
    login: ['bcryptjs', ...tokens, ...DYNAMODB],
    oauthToken: ['bcryptjs', ...tokens, ...DYNAMODB],
    refresh: [...tokens, ...DYNAMODB],
    logout: DYNAMODB,
    logoutAll: DYNAMODB,
    me: [],
    changePassword: ['bcryptjs', ...DYNAMODB],
    listSessions: DYNAMODB,
    endSession: DYNAMODB,
    adminListUsers: DYNAMODB,
    adminCreateUser: ['bcryptjs', ...DYNAMODB],
    adminGetUser: DYNAMODB,
    adminUpdateUser: DYNAMODB,
    adminDeleteUser: DYNAMODB,
    jwks: [SSM],
    oauthMetadata: [],
    openapi: [],
  };
  return table[functionName];
}

export interface PackageBytes {
  readonly name: string;
  readonly bytes: number;
}

export interface FlaggedPackage {
  readonly name: string;
  readonly bytes: number;
  /** Entry → … → the first file of the package, shortest import chain in the metafile. */
  readonly chain: readonly string[];
}

export interface LoadVariant {
  readonly label: string;
  readonly bytes: number;
  readonly loadMs: readonly number[];
  readonly cpuMs: readonly number[];
}

export interface FunctionColdStart {
  readonly name: string;
  readonly entry: string;
  readonly zipBytes: number;
  readonly bundleBytes: number;
  /** Our metafile build produced a bundle of exactly the packaged size. */
  readonly metafileMatchesPackage: boolean;
  readonly loadMs: readonly number[];
  readonly cpuMs: readonly number[];
  readonly bare: LoadVariant;
  /** The bare imports, as `module: names`. */
  readonly bareImports: readonly string[];
  readonly packages: readonly PackageBytes[];
  readonly firstPartyBytes: number;
  /** Undefined when no expectation is declared for the function. */
  readonly needed: readonly string[] | undefined;
  readonly flagged: readonly FlaggedPackage[];
  /** What-if bundles: for the authorizer, bare deps without what it does not use (and without SSM too); for `me`, bare deps plus its logger. */
  readonly trimmed: readonly LoadVariant[];
}

export interface ColdStartResult {
  readonly runs: number;
  readonly functions: readonly FunctionColdStart[];
  readonly notes: readonly string[];
}

interface ServerlessYaml {
  service: string;
  custom: { esbuild: { minify?: boolean; sourcemap?: boolean; target?: string; platform?: esbuild.Platform; plugins?: string } };
  functions: Record<string, { handler: string }>;
}

export interface ColdStartOptions {
  /** From cases 1–2: whether the authorizer was seen calling DynamoDB. */
  readonly authorizerReadsDynamoDb: boolean;
  readonly log: (line: string) => void;
  /** Awaited after the builds, before the first load: lets other start-up work finish first. */
  readonly beforeLoading?: () => Promise<unknown>;
}

export async function measureColdStarts(options: ColdStartOptions): Promise<ColdStartResult> {
  const sls = yaml.load(readFileSync(join(ROOT, 'serverless.yml'), 'utf8')) as ServerlessYaml;
  const workFolder = `.esbuild-bench-${process.pid}`;
  const work = join(ROOT, workFolder);
  const packageDir = mkdtempSync(join(tmpdir(), 'bench-package-'));
  const notes: string[] = [];
  try {
    options.log('  serverless package…');
    await packageService(packageDir, workFolder);
    const template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8')) as CloudFormation;
    const buildOptions: esbuild.BuildOptions = {
      bundle: true,
      minify: sls.custom.esbuild.minify ?? false,
      sourcemap: sls.custom.esbuild.sourcemap ?? false,
      target: sls.custom.esbuild.target ?? 'node18',
      platform: sls.custom.esbuild.platform ?? 'node',
      // serverless-esbuild's `plugins`: a file exporting esbuild plugins (YAML imports become JSON).
      plugins: sls.custom.esbuild.plugins === undefined ? [] : (loadModule(join(ROOT, sls.custom.esbuild.plugins)) as esbuild.Plugin[]),
      absWorkingDir: ROOT,
      logLevel: 'silent',
    };
    const targets = new LoadTargets();
    const builds: FunctionBuild[] = [];
    const entryOf = (handler: string) => `${handler.slice(0, handler.lastIndexOf('.'))}.ts`;
    options.log('  esbuild metafile of every function, and the bare-deps bundles…');
    // One build for all entries (no code splitting, so each output is what a build of that entry
    // alone gives; its size is checked against the packaged bundle below).
    const metaBuild = await esbuild.build({
      ...buildOptions,
      entryPoints: Object.values(sls.functions).map((fn) => entryOf(fn.handler)),
      write: false,
      outdir: join(work, 'meta'),
      metafile: true,
    });
    const metafile = metaBuild.metafile;
    const outputOf = (entry: string) => Object.entries(metafile.outputs).find(([, output]) => output.entryPoint === entry);
    const bareBuilds = new Map<string, Promise<{ path: string; bytes: number }>>();
    const bareBundle = (label: string, imports: readonly BareImport[]) => {
      const key = JSON.stringify(imports);
      let build = bareBuilds.get(key);
      if (build === undefined) {
        build = buildBare(work, `${label}-${bareBuilds.size}`, imports, buildOptions);
        bareBuilds.set(key, build);
      }
      return build;
    };
    for (const [name, fn] of Object.entries(sls.functions)) {
      const handlerFile = fn.handler.slice(0, fn.handler.lastIndexOf('.'));
      const entry = entryOf(fn.handler);
      const env = functionEnvironment(template, `${sls.service}-dev-${name}`);
      if (env.dropped.length > 0) notes.push(`${name}: environment values that are not plain strings were left out: ${env.dropped.join(', ')}`);

      const zipPath = join(packageDir, `${name}.zip`);
      const packaged = readZip(zipPath).get(`${handlerFile}.js`);
      if (packaged === undefined) throw new Error(`${name}.zip holds no ${handlerFile}.js`);
      const bundlePath = join(work, 'packaged', name, `${handlerFile}.js`);
      mkdirSync(dirname(bundlePath), { recursive: true });
      writeFileSync(bundlePath, packaged);

      const [outputPath, output] = outputOf(entry) ?? [];
      if (outputPath === undefined || output === undefined) throw new Error(`esbuild wrote no output for ${entry}`);
      const builtBytes = metaBuild.outputFiles.find((file) => file.path === join(ROOT, outputPath))?.contents.length;
      // Files only: an input in a plugin's namespace (`browser-script:lib/pages/browser/main.ts`, the
      // hosted pages' script, which the pages function holds as text) is no module the Lambda imports.
      const firstParty = reachable(metafile, entry).filter(
        (path) => packageOfPath(path) === undefined && /\.[cm]?[jt]s$/.test(path) && !/^[\w-]+:/.test(path),
      );
      const packages = packageBytes(output);
      // Imports of packages the bundle holds code of: an import whose every use esbuild dropped
      // (`me` reaches lib/http/request.ts, which imports zod, and holds none of it) is no dependency.
      const imports = bareImportsOf(firstParty).filter((imp) => packages.some((pkg) => pkg.name === packageOf(imp.module)));
      const bare = await bareBundle('bare', imports);

      const needed = neededPackages(name, name === 'authorizer' && options.authorizerReadsDynamoDb);
      const flagged =
        needed === undefined
          ? []
          : WATCHED.filter((pkg) => !needed.includes(pkg))
              .map((pkg) => ({ name: pkg, bytes: packages.find((p) => p.name === pkg)?.bytes ?? 0 }))
              .filter((pkg) => pkg.bytes > 0)
              .map((pkg) => ({ ...pkg, chain: importChain(metafile, entry, pkg.name) }));

      const trimmed: { label: string; target: string }[] = [];
      if (name === 'authorizer') {
        // What the load would be if the bundle held only what the authorizer uses (and, with an
        // asymmetric public key in the environment, no SSM client either).
        const unused = new Set<string>(flagged.map((pkg) => pkg.name));
        const used = imports.filter((imp) => !unused.has(packageOf(imp.module)));
        if (unused.size > 0) {
          const b = await bareBundle('used-only', used);
          trimmed.push({ label: `bare deps without ${[...unused].join(', ')}`, target: targets.add(b.path, env.variables) });
        }
        const noSsm = used.filter((imp) => packageOf(imp.module) !== SSM);
        if (noSsm.length < used.length) {
          const b = await bareBundle('no-ssm', noSsm);
          trimmed.push({ label: `bare deps without ${[...unused, SSM].join(', ')}`, target: targets.add(b.path, env.variables) });
        }
      }
      if (name === 'me') {
        // The smallest function: how much of its load over the bare deps is lib/logger.ts's
        // `new Logger()` at INIT (every handler constructs it through lib/http/handler.ts), and how
        // much of that is Node creating process.stdout and process.stderr for the Logger's Console
        // (which a process that has written to them has already paid).
        const withLogger = [...imports, { module: join(ROOT, 'lib', 'logger.ts'), name: 'logger' }];
        const b = await bareBundle('with-logger', withLogger);
        trimmed.push({ label: 'bare deps + the `new Logger()` of lib/logger.ts', target: targets.add(b.path, env.variables) });
        const stdioReady = { ...env.variables, [STDIO_READY]: '1' };
        trimmed.push({ label: `the \`me\` bundle, ${STDIO_READY_LABEL}`, target: targets.add(bundlePath, stdioReady) });
        trimmed.push({ label: `bare deps, ${STDIO_READY_LABEL}`, target: targets.add(bare.path, stdioReady) });
      }
      builds.push({
        name,
        entry,
        zipBytes: readFileSync(zipPath).length,
        bundleBytes: packaged.length,
        metafileMatchesPackage: builtBytes === packaged.length,
        target: targets.add(bundlePath, env.variables),
        bareTarget: targets.add(bare.path, env.variables),
        bareImports: describeImports(imports),
        packages,
        firstPartyBytes: firstPartyBytes(output),
        needed,
        flagged,
        trimmed,
      });
    }

    await options.beforeLoading?.();
    options.log(`  loading ${targets.size} distinct bundles ${LOAD_RUNS} times each, in rotating order…`);
    const loader = join(work, 'load.js');
    writeFileSync(loader, LOADER);
    const times = await targets.loadAll(loader, LOAD_RUNS);
    const variant = (label: string, target: string): LoadVariant => ({
      label,
      bytes: targets.bytes(target),
      loadMs: (times.get(target) ?? []).map((t) => t.ms),
      cpuMs: (times.get(target) ?? []).map((t) => t.cpuMs),
    });
    const functions: FunctionColdStart[] = builds.map(({ target, bareTarget, trimmed, ...build }) => ({
      ...build,
      loadMs: (times.get(target) ?? []).map((t) => t.ms),
      cpuMs: (times.get(target) ?? []).map((t) => t.cpuMs),
      bare: variant('bare', bareTarget),
      trimmed: trimmed.map((t) => variant(t.label, t.target)),
    }));
    return { runs: LOAD_RUNS, functions, notes };
  } finally {
    rmSync(packageDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

type FunctionBuild = Omit<FunctionColdStart, 'loadMs' | 'cpuMs' | 'bare' | 'trimmed'> & {
  readonly target: string;
  readonly bareTarget: string;
  readonly trimmed: readonly { readonly label: string; readonly target: string }[];
};

/**
 * The bundles to load, each once however many functions share it (most functions' bare-deps
 * bundles are identical). All are loaded round by round in a rotating order, so machine load that
 * drifts over the minute this takes spreads over every bundle alike.
 */
class LoadTargets {
  private readonly targets = new Map<string, { path: string; bytes: number; env: NodeJS.ProcessEnv }>();

  get size(): number {
    return this.targets.size;
  }

  /**
   * Registers a bundle; returns its id (a digest of its contents, and of whether stdio is made
   * ready first: the first function's environment is kept).
   */
  add(path: string, env: NodeJS.ProcessEnv): string {
    const contents = readFileSync(path);
    const id = createHash('sha256').update(contents).update(env[STDIO_READY] ?? '').digest('hex');
    if (!this.targets.has(id)) this.targets.set(id, { path, bytes: contents.length, env });
    return id;
  }

  bytes(id: string): number {
    return this.targets.get(id)?.bytes ?? 0;
  }

  async loadAll(loader: string, runs: number): Promise<Map<string, LoadTime[]>> {
    const ids = [...this.targets.keys()];
    const times = new Map<string, LoadTime[]>(ids.map((id) => [id, []]));
    for (let run = 0; run < runs; run++) {
      for (let i = 0; i < ids.length; i++) {
        const id = ids[(i + run) % ids.length] as string;
        const target = this.targets.get(id);
        if (target !== undefined) times.get(id)?.push(await loadInFreshNode(loader, target.path, target.env));
      }
    }
    return times;
  }
}

export function loadRatio(fn: FunctionColdStart): number {
  return median(fn.loadMs) / median(fn.bare.loadMs);
}

export function cpuRatio(fn: FunctionColdStart): number {
  return median(fn.cpuMs) / median(fn.bare.cpuMs);
}

interface CloudFormation {
  Resources: Record<string, { Type: string; Properties?: { FunctionName?: string; Environment?: { Variables?: Record<string, unknown> } } }>;
}

/** The function's deployed environment from the template, plus what Lambda itself sets. */
function functionEnvironment(template: CloudFormation, functionName: string): { variables: NodeJS.ProcessEnv; dropped: string[] } {
  const resource = Object.values(template.Resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties?.FunctionName === functionName,
  );
  if (resource === undefined) throw new Error(`the packaged template has no function ${functionName}`);
  const variables: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    AWS_REGION: 'us-east-1',
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '1024',
    // Local Node is 20; the deployed runtime is nodejs22.x, where the SDK prints no such warning.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
  const dropped: string[] = [];
  for (const [key, value] of Object.entries(resource.Properties?.Environment?.Variables ?? {})) {
    if (typeof value === 'string') variables[key] = value;
    else dropped.push(key);
  }
  return { variables, dropped };
}

function packageService(packageDir: string, workFolder: string): Promise<void> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ESBUILD_WORK_FOLDER: workFolder,
    // As test/unit/template.test.ts: no AWS credentials at all, and none of the developer's settings.
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_PROFILE: 'no-such-profile',
    JWT_SECRET: '',
  };
  for (const name of ['JWT_ISSUER', 'JWT_AUDIENCE', 'ACCESS_TOKEN_TTL', 'BCRYPT_COST', 'ALLOW_SIGNUP', 'LOG_LEVEL', 'AUTHORIZER_CACHE_TTL']) delete env[name];
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules', '.bin', 'serverless'), ['package', '--stage', 'dev', '--package', packageDir], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`serverless package failed (exit ${String(code)}):\n${output.slice(-3000)}`))));
  });
}

interface LoadTime {
  /** Wall time from `require` to a ready handler. */
  readonly ms: number;
  /** CPU time of the process over the same span: less swayed by other work on the machine. */
  readonly cpuMs: number;
}

/**
 * Requires one bundle and reports how long until its handler was there. A script file, not
 * `node -e`: the first `require` from `-e` pays a few ms of module-loader set-up, which the Lambda
 * runtime (itself loaded through that loader) has already paid when it loads a handler.
 */
const LOADER = `'use strict';
if (process.env.${STDIO_READY} === '1') { process.stdout; process.stderr; }
const { performance } = require('node:perf_hooks');
const cpuStart = process.cpuUsage();
const start = performance.now();
const loaded = require(process.argv[2]);
if (typeof loaded.handler !== 'function' && !Array.isArray(loaded.keep)) throw new Error('no handler');
const ms = performance.now() - start;
const cpu = process.cpuUsage(cpuStart);
process.stdout.write(JSON.stringify({ ms, cpuMs: (cpu.user + cpu.system) / 1000 }));
// INIT may have started asynchronous work (login's dummy hash): the load is what is measured.
process.exit(0);
`;

/** One load of a bundle in a fresh node process. */
function loadInFreshNode(loader: string, bundlePath: string, env: NodeJS.ProcessEnv): Promise<LoadTime> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [loader, bundlePath], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) reject(new Error(`loading ${basename(bundlePath)} failed (exit ${String(code)}): ${err.slice(-2000)}`));
      else resolve(JSON.parse(out) as LoadTime);
    });
  });
}

interface BareImport {
  readonly module: string;
  /** `default`, `*`, a named export, or undefined for a side-effect import. */
  readonly name: string | undefined;
}

/** Every value import of a third-party package in these first-party files, as written. */
function bareImportsOf(files: readonly string[]): BareImport[] {
  const seen = new Map<string, BareImport>();
  const add = (imp: BareImport) => seen.set(`${imp.module}\0${imp.name ?? ''}`, imp);
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(join(ROOT, file), 'utf8'), ts.ScriptTarget.ES2022, true);
    for (const statement of source.statements) {
      if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
      const module = statement.moduleSpecifier.text;
      if (module.startsWith('.') || module.startsWith('/') || isBuiltin(module)) continue;
      const clause = statement.importClause;
      if (clause === undefined) {
        add({ module, name: undefined });
        continue;
      }
      if (clause.isTypeOnly) continue;
      if (clause.name !== undefined) add({ module, name: 'default' });
      const bindings = clause.namedBindings;
      if (bindings === undefined) continue;
      if (ts.isNamespaceImport(bindings)) add({ module, name: '*' });
      else for (const element of bindings.elements) if (!element.isTypeOnly) add({ module, name: (element.propertyName ?? element.name).text });
    }
  }
  return [...seen.values()].sort((a, b) => a.module.localeCompare(b.module) || (a.name ?? '').localeCompare(b.name ?? ''));
}

function describeImports(imports: readonly BareImport[]): string[] {
  const byModule = new Map<string, string[]>();
  for (const imp of imports) byModule.set(imp.module, [...(byModule.get(imp.module) ?? []), imp.name ?? '(side effects)']);
  return [...byModule].map(([module, names]) => `${module}: ${names.join(', ')}`);
}

/** Bundles just these imports, each kept alive, with the function's esbuild options. */
async function buildBare(
  work: string,
  label: string,
  imports: readonly BareImport[],
  buildOptions: esbuild.BuildOptions,
): Promise<{ path: string; bytes: number }> {
  const dir = join(work, label);
  mkdirSync(dir, { recursive: true });
  const lines: string[] = [];
  const kept: string[] = [];
  imports.forEach((imp, i) => {
    const local = `i${i}`;
    const from = JSON.stringify(imp.module);
    if (imp.name === undefined) return lines.push(`import ${from};`);
    kept.push(local);
    if (imp.name === 'default') return lines.push(`import ${local} from ${from};`);
    if (imp.name === '*') return lines.push(`import * as ${local} from ${from};`);
    return lines.push(`import { ${imp.name} as ${local} } from ${from};`);
  });
  lines.push(`export const keep = [${kept.join(', ')}];`);
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, `${lines.join('\n')}\n`);
  const outfile = join(dir, 'bundle.js');
  await esbuild.build({ ...buildOptions, entryPoints: [relative(ROOT, entry)], outfile });
  return { path: outfile, bytes: readFileSync(outfile).length };
}

/** `node_modules/@scope/name/…` → `@scope/name`; first-party files → undefined. */
function packageOfPath(path: string): string | undefined {
  const at = path.lastIndexOf('node_modules/');
  if (at < 0) return undefined;
  const parts = path.slice(at + 'node_modules/'.length).split('/');
  return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1] ?? ''}` : parts[0];
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0] ?? ''}/${parts[1] ?? ''}` : (parts[0] ?? specifier);
}

type MetafileOutput = esbuild.Metafile['outputs'][string];

function packageBytes(output: MetafileOutput): PackageBytes[] {
  const totals = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
    const pkg = packageOfPath(path);
    if (pkg !== undefined) totals.set(pkg, (totals.get(pkg) ?? 0) + bytesInOutput);
  }
  return [...totals]
    .filter(([, bytes]) => bytes > 0)
    .map(([name, bytes]) => ({ name, bytes }))
    .sort((a, b) => b.bytes - a.bytes);
}

function firstPartyBytes(output: MetafileOutput): number {
  let total = 0;
  for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) if (packageOfPath(path) === undefined) total += bytesInOutput;
  return total;
}

/** Every input file the entry reaches through its (non-external) imports. */
function reachable(metafile: esbuild.Metafile, entry: string): string[] {
  const seen = new Set([entry]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.external || seen.has(imported.path)) continue;
      seen.add(imported.path);
      queue.push(imported.path);
    }
  }
  return [...seen];
}

/** Shortest import chain from the entry to a file of `pkg`, first-party files named in full. */
function importChain(metafile: esbuild.Metafile, entry: string, pkg: string): string[] {
  const parent = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift() as string;
    if (packageOfPath(file) === pkg) {
      const chain: string[] = [];
      for (let at: string | undefined = file; at !== undefined; at = parent.get(at)) chain.unshift(at);
      return chain.map((path) => packageOfPath(path) ?? path).filter((step, i, all) => step !== all[i - 1]);
    }
    for (const imported of metafile.inputs[file]?.imports ?? []) {
      if (imported.external || parent.has(imported.path)) continue;
      parent.set(imported.path, file);
      queue.push(imported.path);
    }
  }
  return [entry, '…', pkg];
}
