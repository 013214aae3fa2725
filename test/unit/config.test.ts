import { ConfigError, loadConfig } from '../../lib/config';

const base = { TABLE_NAME: 'table', JWT_ISSUER: 'https://auth.test', JWT_SECRET: 'x'.repeat(32) };

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    expect(loadConfig(base)).toMatchObject({
      accessTokenTtlSeconds: 900,
      bcryptCost: 12,
      allowSignup: true,
      audience: 'serverless-auth',
      region: 'us-east-1',
      dynamodbEndpoint: undefined,
      refreshTokenTtlSeconds: 2_592_000,
      loginThrottle: { maxAttempts: 5, windowSeconds: 900, lockoutSeconds: 300 },
    });
  });

  it('reads the session and lockout settings, and names a bad one', () => {
    expect(
      loadConfig({ ...base, REFRESH_TOKEN_TTL: '3600', LOGIN_MAX_ATTEMPTS: '10', LOGIN_ATTEMPT_WINDOW: '60', LOGIN_LOCKOUT_SECONDS: '30' }),
    ).toMatchObject({ refreshTokenTtlSeconds: 3600, loginThrottle: { maxAttempts: 10, windowSeconds: 60, lockoutSeconds: 30 } });
    expect(() => loadConfig({ ...base, LOGIN_MAX_ATTEMPTS: '0' })).toThrow(/LOGIN_MAX_ATTEMPTS/);
  });

  it('refuses a secret shorter than 32 bytes', () => {
    expect(() => loadConfig({ ...base, JWT_SECRET: 'x'.repeat(31) })).toThrow(new ConfigError('JWT_SECRET must be at least 32 bytes long.'));
  });

  it('needs a secret or an SSM parameter name, and takes the parameter when deployed', () => {
    expect(() => loadConfig({ ...base, JWT_SECRET: undefined })).toThrow(ConfigError);
    expect(loadConfig({ ...base, JWT_SECRET: '', JWT_SECRET_PARAMETER: '/svc/prod/jwt-secret' }).jwtSecret).toEqual({
      kind: 'ssm',
      parameter: '/svc/prod/jwt-secret',
    });
  });

  it('names every missing or malformed variable', () => {
    const attempt = () => loadConfig({ JWT_SECRET: 'x'.repeat(32), BCRYPT_COST: 'twelve', ALLOW_SIGNUP: 'maybe' });
    for (const name of ['TABLE_NAME', 'JWT_ISSUER', 'BCRYPT_COST', 'ALLOW_SIGNUP']) {
      expect(attempt).toThrow(new RegExp(name));
    }
  });

  it('reads ALLOW_SIGNUP=false and a custom token lifetime', () => {
    expect(loadConfig({ ...base, ALLOW_SIGNUP: 'false', ACCESS_TOKEN_TTL: '300' })).toMatchObject({
      allowSignup: false,
      accessTokenTtlSeconds: 300,
    });
  });
});
