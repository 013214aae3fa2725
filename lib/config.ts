import { z } from 'zod';

/** Raised at INIT when the environment is incomplete or wrong; names the variable. */
export class ConfigError extends Error {}

const MIN_SECRET_BYTES = 32;

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => ['true', '1', 'yes'].includes(v));

// What account operations need: the table and password hashing, no token settings. The admin
// CLI runs outside Lambda with only these.
const AccountEnvSchema = z.object({
  TABLE_NAME: z.string().min(1),
  AWS_REGION: z.string().min(1).default('us-east-1'),
  DYNAMODB_ENDPOINT: z.url().optional(),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  ALLOW_SIGNUP: booleanFlag.default(true),
});

const EnvSchema = AccountEnvSchema.extend({
  JWT_SECRET: z.string().optional(),
  JWT_SECRET_PARAMETER: z.string().startsWith('/').optional(),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1).default('serverless-auth'),
  ACCESS_TOKEN_TTL: z.coerce.number().int().min(60).max(86_400).default(900),
});

/** The settings of account operations alone. */
export interface AccountConfig {
  readonly tableName: string;
  readonly region: string;
  /** Set only against DynamoDB Local. */
  readonly dynamodbEndpoint: string | undefined;
  readonly bcryptCost: number;
  readonly allowSignup: boolean;
}

export interface Config extends AccountConfig {
  /** The HS256 secret: given directly (local) or as an SSM SecureString parameter name (deployed). */
  readonly jwtSecret: { readonly kind: 'value'; readonly value: string } | { readonly kind: 'ssm'; readonly parameter: string };
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
}

/** Reads and validates the environment once; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(EnvSchema, env);
  return {
    ...accountConfigFrom(e),
    jwtSecret: jwtSecretSource(e.JWT_SECRET, e.JWT_SECRET_PARAMETER),
    issuer: e.JWT_ISSUER,
    audience: e.JWT_AUDIENCE,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL,
  };
}

/** Like loadConfig, for account operations only: needs no JWT setting. */
export function loadAccountConfig(env: NodeJS.ProcessEnv = process.env): AccountConfig {
  return accountConfigFrom(parseEnv(AccountEnvSchema, env));
}

function accountConfigFrom(e: z.infer<typeof AccountEnvSchema>): AccountConfig {
  return {
    tableName: e.TABLE_NAME,
    region: e.AWS_REGION,
    dynamodbEndpoint: e.DYNAMODB_ENDPOINT,
    bcryptCost: e.BCRYPT_COST,
    allowSignup: e.ALLOW_SIGNUP,
  };
}

function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const names = parsed.error.issues.map((issue) => `${issue.path.join('.')} (${issue.message})`);
    throw new ConfigError(`Invalid or missing environment variables: ${names.join(', ')}`);
  }
  return parsed.data;
}

function jwtSecretSource(value: string | undefined, parameter: string | undefined): Config['jwtSecret'] {
  if (value !== undefined) {
    assertSecretLength(value, 'JWT_SECRET');
    return { kind: 'value', value };
  }
  if (parameter !== undefined) return { kind: 'ssm', parameter };
  throw new ConfigError('Set JWT_SECRET (local) or JWT_SECRET_PARAMETER (an SSM SecureString name, deployed).');
}

/** HS256 needs at least 256 bits of key (RFC 7518 §3.2); refuse to run with less. */
export function assertSecretLength(secret: string, source: string): void {
  if (Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
    throw new ConfigError(`${source} must be at least ${MIN_SECRET_BYTES} bytes long.`);
  }
}
