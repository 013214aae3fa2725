import { z } from 'zod';
import {
  checkKeyId,
  keySetFrom,
  previousKeysFrom,
  SIGNING_ALGORITHMS,
  signingKeyFrom,
  type Parsed,
  type SigningAlgorithm,
  type SigningKey,
  type VerificationKey,
} from './auth/key-material';

/** Raised at INIT when the environment is incomplete or wrong; names the variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

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
  JWT_ALG: z.enum(SIGNING_ALGORITHMS).default('HS256'),
  JWT_SECRET: z.string().optional(),
  JWT_SECRET_PARAMETER: z.string().startsWith('/').optional(),
  JWT_PRIVATE_KEY: z.string().optional(),
  JWT_PRIVATE_KEY_PARAMETER: z.string().startsWith('/').optional(),
  JWT_KEY_ID: z.string().refine((kid) => checkKeyId(kid).ok, 'must be 1 to 128 visible ASCII characters').optional(),
  JWT_PREVIOUS_PUBLIC_KEYS: z.string().optional(),
  JWT_ISSUER: z.string().min(1),
  JWT_AUDIENCE: z.string().min(1).default('serverless-auth'),
  ACCESS_TOKEN_TTL: z.coerce.number().int().min(60).max(86_400).default(900),
  REFRESH_TOKEN_TTL: z.coerce.number().int().min(300).max(31_536_000).default(2_592_000),
  REFRESH_REUSE_INTERVAL: z.coerce.number().int().min(0).max(60).default(10),
  LOGIN_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_ATTEMPT_WINDOW: z.coerce.number().int().min(1).max(86_400).default(900),
  LOGIN_LOCKOUT_SECONDS: z.coerce.number().int().min(1).max(86_400).default(300),
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

/** Everything the functions need: accounts, tokens, sessions and lockout. */
export interface Config extends AccountConfig {
  readonly signing: SigningSettings;
  readonly issuer: string;
  readonly audience: string;
  readonly accessTokenTtlSeconds: number;
  /** Absolute lifetime of a session (and so of its refresh tokens), seconds. */
  readonly refreshTokenTtlSeconds: number;
  /** Seconds after a rotation in which the previous refresh token converges on its successor; 0 = strict. */
  readonly refreshReuseIntervalSeconds: number;
  readonly loginThrottle: LoginThrottleSettings;
}

/** Brute-force protection: failures per username within a window, then a growing lock. */
export interface LoginThrottleSettings {
  readonly maxAttempts: number;
  readonly windowSeconds: number;
  /** The first lock's length; each further lock doubles it, up to a day. */
  readonly lockoutSeconds: number;
}

/** Reads and validates the environment once; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const e = parseEnv(EnvSchema, env);
  return {
    ...accountConfigFrom(e),
    signing: signingSettings(e),
    issuer: e.JWT_ISSUER,
    audience: e.JWT_AUDIENCE,
    accessTokenTtlSeconds: e.ACCESS_TOKEN_TTL,
    refreshTokenTtlSeconds: e.REFRESH_TOKEN_TTL,
    refreshReuseIntervalSeconds: e.REFRESH_REUSE_INTERVAL,
    loginThrottle: {
      maxAttempts: e.LOGIN_MAX_ATTEMPTS,
      windowSeconds: e.LOGIN_ATTEMPT_WINDOW,
      lockoutSeconds: e.LOGIN_LOCKOUT_SECONDS,
    },
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

/**
 * How tokens are signed: the algorithm (JWT_ALG), the current key — given directly (local), or as
 * the name of an SSM SecureString parameter (deployed) that is read on first use — and the previous
 * public keys that still verify. Everything that can be checked here is checked here, at INIT.
 */
export interface SigningSettings {
  readonly algorithm: SigningAlgorithm;
  /** JWT_KEY_ID; without it the current key's kid is its RFC 7638 thumbprint. */
  readonly keyId: string | undefined;
  readonly current: { readonly kind: 'key'; readonly key: SigningKey } | { readonly kind: 'ssm'; readonly parameter: string };
  readonly previous: readonly VerificationKey[];
}

type Env = z.infer<typeof EnvSchema>;

function signingSettings(e: Env): SigningSettings {
  const algorithm = e.JWT_ALG;
  const symmetric = algorithm === 'HS256';
  if (symmetric && (e.JWT_PRIVATE_KEY !== undefined || e.JWT_PRIVATE_KEY_PARAMETER !== undefined)) {
    throw new ConfigError('JWT_PRIVATE_KEY (or JWT_PRIVATE_KEY_PARAMETER) is set but JWT_ALG is HS256: set JWT_ALG=RS256 or ES256, or unset the key.');
  }
  const previous =
    e.JWT_PREVIOUS_PUBLIC_KEYS === undefined ? [] : checked('JWT_PREVIOUS_PUBLIC_KEYS', previousKeysFrom(algorithm, e.JWT_PREVIOUS_PUBLIC_KEYS));
  const [valueName, parameterName] = symmetric ? ['JWT_SECRET', 'JWT_SECRET_PARAMETER'] : ['JWT_PRIVATE_KEY', 'JWT_PRIVATE_KEY_PARAMETER'];
  const value = symmetric ? e.JWT_SECRET : e.JWT_PRIVATE_KEY;
  const parameter = symmetric ? e.JWT_SECRET_PARAMETER : e.JWT_PRIVATE_KEY_PARAMETER;
  const keyId = e.JWT_KEY_ID;
  if (value !== undefined) {
    const key = checked(valueName, signingKeyFrom(algorithm, value, keyId));
    checked('JWT_PREVIOUS_PUBLIC_KEYS', keySetFrom(algorithm, key, previous));
    return { algorithm, keyId, current: { kind: 'key', key }, previous };
  }
  if (parameter !== undefined) {
    // The key itself arrives later; a kid given here must already be free.
    if (keyId !== undefined && previous.some((key) => key.kid === keyId)) {
      throw new ConfigError(`JWT_PREVIOUS_PUBLIC_KEYS holds the kid "${keyId}", which JWT_KEY_ID gives the current key.`);
    }
    return { algorithm, keyId, current: { kind: 'ssm', parameter }, previous };
  }
  throw new ConfigError(`JWT_ALG is ${algorithm}: set ${valueName} (local) or ${parameterName} (an SSM SecureString name, deployed).`);
}

function checked<T>(variable: string, parsed: Parsed<T>): T {
  if (!parsed.ok) throw new ConfigError(`${variable} ${parsed.problem.replace(/\.?$/, '.')}`);
  return parsed.value;
}
