/**
 * The cost of an authorization, per million allowed requests: AWS list prices (below, with where
 * they come from) times this run's measurements and serverless.yml's settings. Written into
 * docs/benchmarks.md by bench/report.ts, so it follows every run.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { median } from './measure';
import type { BenchResults } from './report';

/**
 * Public list prices, us-east-1, as AWS published them in 2025; the bench has no network and does
 * not fetch them. Check the current pages before relying on a figure.
 */
export const PRICES = {
  asOf: 'AWS list prices for us-east-1 as published in 2025; not fetched by the bench, so check current ones',
  apiGatewayRestPerMillion: { usd: 3.5, source: 'aws.amazon.com/api-gateway/pricing: REST APIs, first 333 million requests a month' },
  apiGatewayHttpPerMillion: { usd: 1.0, source: 'aws.amazon.com/api-gateway/pricing: HTTP APIs, first 300 million requests a month' },
  lambdaRequestsPerMillion: { usd: 0.2, source: 'aws.amazon.com/lambda/pricing: requests' },
  lambdaGbSecond: {
    arm64: { usd: 0.0000133334, source: 'aws.amazon.com/lambda/pricing: duration, Arm, first 7.5 billion GB-s a month' },
    x86_64: { usd: 0.0000166667, source: 'aws.amazon.com/lambda/pricing: duration, x86, first 6 billion GB-s a month' },
  },
  dynamoDbReadUnitsPerMillion: { usd: 0.125, source: 'aws.amazon.com/dynamodb/pricing/on-demand: read request units (after the November 2024 reduction)' },
  cloudWatchLogsPerGb: { usd: 0.5, source: 'aws.amazon.com/cloudwatch/pricing: logs ingested, standard class' },
  cognitoPerMau: {
    lite: { usd: 0.0055, source: 'aws.amazon.com/cognito/pricing: Lite tier, 10,001–100,000 MAUs (lower above); 10,000 MAUs a month free' },
    essentials: { usd: 0.015, source: 'aws.amazon.com/cognito/pricing: Essentials tier (the default for new user pools); 10,000 MAUs a month free' },
    plus: { usd: 0.02, source: 'aws.amazon.com/cognito/pricing: Plus tier; no free tier' },
  },
} as const;

/** Lambda bills duration in steps of one millisecond, rounded up. */
const billedMs = (ms: number) => Math.max(1, Math.ceil(ms));
/** A strongly consistent read of one item of up to 4 KB costs one read request unit. */
const STRONGLY_CONSISTENT_RRU_PER_ITEM = 1;
const ITEMS_READ = 2;

const usd = (x: number) => `$${x < 0.01 ? x.toFixed(4) : x < 1 ? x.toFixed(3) : x.toFixed(2)}`;
/** Three significant figures, with thousands separators: a break-even is an estimate. */
const roughly = (x: number) => Number(x.toPrecision(3)).toLocaleString('en-US');

interface AuthorizerSettings {
  readonly memoryMb: number;
  readonly architecture: 'arm64' | 'x86_64';
}

interface ServerlessYaml {
  provider: { memorySize?: number; architecture?: string };
  functions: Record<string, { memorySize?: number; architecture?: string }>;
}

/** The authorizer's memory and architecture as serverless.yml sets them (its own, else the provider's). */
export function authorizerSettings(root = join(__dirname, '..')): AuthorizerSettings {
  const sls = yaml.load(readFileSync(join(root, 'serverless.yml'), 'utf8')) as ServerlessYaml;
  const fn = sls.functions['authorizer'] ?? {};
  const memoryMb = fn.memorySize ?? sls.provider.memorySize ?? 1024; // the framework's default
  const architecture = fn.architecture ?? sls.provider.architecture ?? 'x86_64';
  if (architecture !== 'arm64' && architecture !== 'x86_64') throw new Error(`serverless.yml: unknown architecture ${architecture}`);
  return { memoryMb, architecture };
}

/** The "Cost of an authorization" section of docs/benchmarks.md. */
export function costModel(results: BenchResults, settings: AuthorizerSettings = authorizerSettings()): string[] {
  const out = ['## Cost of an authorization', ''];
  const state = results.state;
  if (!state.ok) {
    out.push(`Not worked out: case 2, which measures the authorizer's duration, failed in this run (${state.error.split('\n')[0] ?? ''}).`, '');
    return out;
  }
  const measuredMs = state.value.handler.medianMs;
  const billed = billedMs(measuredMs);
  const gb = settings.memoryMb / 1024;
  const gbSecond = PRICES.lambdaGbSecond[settings.architecture].usd;
  const rru = state.value.readCapacityUnits ?? ITEMS_READ * STRONGLY_CONSISTENT_RRU_PER_ITEM;
  const rruSource =
    state.value.readCapacityUnits === undefined
      ? `${ITEMS_READ} items of under 4 KB read strongly consistent, 1 unit each (DynamoDB Local reported no consumed capacity in this run)`
      : `as DynamoDB Local reported the BatchGetItem's consumed capacity in case 2`;

  const gateway = PRICES.apiGatewayRestPerMillion.usd;
  const lambdaRequests = PRICES.lambdaRequestsPerMillion.usd;
  const lambdaDuration = (billed / 1000) * gb * gbSecond * 1e6;
  const dynamodb = rru * PRICES.dynamoDbReadUnitsPerMillion.usd;
  const authorizer = lambdaRequests + lambdaDuration + dynamodb;
  const total = gateway + authorizer;
  const perExtraMs = (1 / 1000) * gb * gbSecond * 1e6;

  out.push(
    'Per million requests the authorizer allows, with the authorizer cache off (`AUTHORIZER_CACHE_TTL=0`, the',
    'default), from this run\'s measurements, serverless.yml\'s settings and AWS list prices (listed below).',
    'The protected handler\'s own invocation is not counted: it is the same whatever checks the token.',
    '',
    '| part | per million allowed requests | worked out from |',
    '|---|---|---|',
    `| API Gateway, REST API | ${usd(gateway)} | ${usd(gateway)} per million requests |`,
    `| authorizer Lambda: invocations | ${usd(lambdaRequests)} | ${usd(lambdaRequests)} per million |`,
    `| authorizer Lambda: duration | ${usd(lambdaDuration)} | ${billed} ms billed (median ${measuredMs.toFixed(2)} ms in case 2, rounded up to Lambda's 1 ms step) × ${settings.memoryMb} MB (serverless.yml \`memorySize\`) × ${usd(gbSecond * 1e6)} per million GB-s (${settings.architecture}) |`,
    `| DynamoDB on demand: the one BatchGetItem | ${usd(dynamodb)} | ${rru} read request units (${rruSource}) × ${usd(PRICES.dynamoDbReadUnitsPerMillion.usd)} per million |`,
    `| **in all** | **${usd(total)}** | of which the authorizer itself (Lambda and DynamoDB) ${usd(authorizer)}, ${((authorizer / total) * 100).toFixed(0)} % |`,
    '',
    `- **Duration in AWS.** Case 2 ran against DynamoDB Local on this machine; in AWS the BatchGetItem's round trip sets the duration. Each further millisecond billed adds ${usd(perExtraMs)} per million at ${settings.memoryMb} MB: at 10 ms billed the duration line would be ${usd(10 * perExtraMs)}.`,
  );
  const hs = results.hs256;
  if (hs.ok) {
    const gbLogged = (hs.value.allowLineBytes * 1e6) / 2 ** 30;
    out.push(
      `- **The allow line.** Allows are logged at DEBUG; at INFO each would write its ${hs.value.allowLineBytes}-byte line (case 1): ${gbLogged.toFixed(2)} GB, ${usd(gbLogged * PRICES.cloudWatchLogsPerGb.usd)} of CloudWatch Logs per million at ${usd(PRICES.cloudWatchLogsPerGb.usd)} per GB ingested, and the time in case 1's DEBUG row. To keep a record of who was allowed, turn on API Gateway's access log with \`$context.authorizer.principalId\` instead. Lambda's own START, END and REPORT lines per invocation are ingested too and are not counted here.`,
    );
  }
  const cs = results.coldStart;
  const authorizerLoad = cs.ok ? cs.value.functions.find((fn) => fn.name === 'authorizer') : undefined;
  if (authorizerLoad !== undefined) {
    const initMs = median(authorizerLoad.cpuMs);
    out.push(
      `- **Cold starts.** AWS bills the INIT phase too (announced for 1 August 2025). Loading the authorizer's bundle took ${initMs.toFixed(0)} ms of CPU here (case 5); at ${settings.memoryMb} MB that is ${usd((initMs / 1000) * gb * gbSecond * 1000)} per thousand cold starts, small beside the rest unless most invocations start a container.`,
    );
  }
  out.push('');

  // The Cognito comparison: its user pool authorizer costs nothing per request; it charges per monthly active user.
  const { lite, essentials, plus } = PRICES.cognitoPerMau;
  const breakEven = (perMau: number) => roughly(perMau / (authorizer / 1e6));
  out.push(
    '### Beside Amazon Cognito',
    '',
    '| | per million allowed requests | per monthly active user (MAU) |',
    '|---|---|---|',
    `| this service's authorizer, cache off | ${usd(total)} (API Gateway ${usd(gateway)} + authorizer ${usd(authorizer)}) | nothing (logins, refreshes and the table's storage are not in this model) |`,
    `| a Cognito user pool authorizer (\`COGNITO_USER_POOLS\`) on the same REST API | ${usd(gateway)} (API Gateway only: Cognito does not charge per verified token) | Lite ${usd(lite.usd)}, Essentials ${usd(essentials.usd)}, Plus ${usd(plus.usd)} |`,
    '',
    `The authorizer costs as much as Cognito's per-user price at about ${breakEven(lite.usd)} allowed requests per active user a month against Lite, ${breakEven(essentials.usd)} against Essentials and ${breakEven(plus.usd)} against Plus;`,
    'below that this service is cheaper per user, above it Cognito is (Cognito\'s first 10,000 MAUs a month are free on Lite and',
    'Essentials). What the per-request price buys: this authorizer reads the account and the session on every request, so a',
    'logout, logout-all, password change, role change, disabling or deletion stops a token at once. Cognito\'s authorizer checks',
    'the token\'s signature and expiry only; AWS documents that a revoked Cognito token still verifies wherever only those are',
    'checked, so it works until it expires, as here with the cache at a TTL as long as the token\'s lifetime.',
    '',
  );

  // The authorizer cache: fewer invocations, later revocation.
  const exampleIntervalS = 1;
  out.push(
    '### The authorizer cache as the trade-off',
    '',
    '`AUTHORIZER_CACHE_TTL` (seconds, deploy time) is API Gateway\'s `resultTtlInSeconds`. API Gateway then keeps each',
    'token\'s answer (its cache key is the `Authorization` header) for that long and calls the authorizer once per token per',
    'TTL; the answer lists every route the token may call, so it is right for all of them. The authorizer cache is free (it is',
    'not the stage\'s paid response cache), so the authorizer\'s share of the cost falls with the share of requests that reach',
    `it; API Gateway's ${usd(gateway)} stays. For a client that sends one request every ${exampleIntervalS} s with one token:`,
    '',
    '| `AUTHORIZER_CACHE_TTL` | requests reaching the authorizer | per million allowed requests | a revoked token keeps working for up to |',
    '|---|---|---|---|',
  );
  for (const ttl of [0, 60, 300]) {
    const share = ttl === 0 ? 1 : Math.min(1, exampleIntervalS / ttl);
    out.push(`| ${ttl} | ${ttl === 0 ? 'all' : `1 in ${Math.round(1 / share)}`} | ${usd(gateway + authorizer * share)} | ${ttl === 0 ? 'nothing: the next request is refused' : `${ttl} s`} |`);
  }
  out.push(
    '',
    `A cache saves at most the authorizer's ${((authorizer / total) * 100).toFixed(0)} % of the price, and that part is what keeps revocation immediate.`,
    `API Gateway's own price is the larger lever: an HTTP API costs ${usd(PRICES.apiGatewayHttpPerMillion.usd)} per million, but this service is built on`,
    'REST API events (`http` in serverless.yml).',
    '',
    `Prices used: ${PRICES.asOf}.`,
    '',
    `- API Gateway: ${usd(gateway)} per million (${PRICES.apiGatewayRestPerMillion.source}); ${usd(PRICES.apiGatewayHttpPerMillion.usd)} (${PRICES.apiGatewayHttpPerMillion.source})`,
    `- Lambda: ${usd(lambdaRequests)} per million requests (${PRICES.lambdaRequestsPerMillion.source}); $${PRICES.lambdaGbSecond.arm64.usd} per GB-s (${PRICES.lambdaGbSecond.arm64.source}); $${PRICES.lambdaGbSecond.x86_64.usd} per GB-s (${PRICES.lambdaGbSecond.x86_64.source})`,
    `- DynamoDB: ${usd(PRICES.dynamoDbReadUnitsPerMillion.usd)} per million read request units (${PRICES.dynamoDbReadUnitsPerMillion.source}); a strongly consistent read of an item of up to 4 KB is one unit`,
    `- CloudWatch Logs: ${usd(PRICES.cloudWatchLogsPerGb.usd)} per GB (${PRICES.cloudWatchLogsPerGb.source})`,
    `- Cognito: ${usd(lite.usd)} per MAU (${lite.source}); ${usd(essentials.usd)} (${essentials.source}); ${usd(plus.usd)} (${plus.source})`,
    '',
  );
  return out;
}
