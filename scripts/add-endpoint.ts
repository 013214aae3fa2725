/**
 * npm run add-endpoint -- <METHOD> <path> --permission <resource:action> [--role <role>]... [--name <functionName>]
 *
 * Scaffolds a protected endpoint as docs/own-endpoint.md describes doing it by hand. Every check and
 * every file's new text come first (scripts/endpoint-scaffold.ts); only then is anything written, so
 * a refusal (one sentence, exit 1) leaves the project as it was.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArguments, planEndpoint, Refusal, USAGE, type FileChange, type Plan } from './endpoint-scaffold';

const ROOT = join(__dirname, '..');

function write(changes: readonly FileChange[]): void {
  const done: FileChange[] = [];
  try {
    for (const change of changes) {
      mkdirSync(dirname(join(ROOT, change.path)), { recursive: true });
      writeFileSync(join(ROOT, change.path), change.after);
      done.push(change);
    }
  } catch (error) {
    // A write failed part-way (a full disk, a read-only file): put back what was written.
    for (const change of done.reverse()) {
      if (change.before === undefined) rmSync(join(ROOT, change.path), { force: true });
      else writeFileSync(join(ROOT, change.path), change.before);
    }
    throw error;
  }
}

function report(plan: Plan): string {
  const { method, path, permission, functionName } = plan.request;
  const grant = plan.grantedTo.length > 0 ? `, granted to ${plan.grantedTo.join(', ')}` : '';
  return [
    `Added ${method} ${path} (function ${functionName}, permission ${permission}${plan.newPermission ? ' (new)' : ''}${grant}):`,
    ...plan.changes.map((change) => `  ${change.before === undefined ? 'created' : 'edited '} ${change.path}`),
    'Next: write the handler\'s one service call, describe its answer in docs/openapi.yaml, then npm test.',
    'See docs/own-endpoint.md.',
  ].join('\n');
}

function main(argv: readonly string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  try {
    const plan = planEndpoint(ROOT, parseArguments(argv));
    write(plan.changes);
    console.log(report(plan));
    return 0;
  } catch (error) {
    if (error instanceof Refusal) {
      console.error(`add-endpoint: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main(process.argv.slice(2));
