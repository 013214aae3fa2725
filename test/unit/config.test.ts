import { ConfigError, loadAccountConfig, loadConfig } from '../../lib/config';

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
    });
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

describe('loadAccountConfig', () => {
  it('needs only the table settings: no JWT variable (the admin CLI runs without them)', () => {
    expect(loadAccountConfig({ TABLE_NAME: 'table', DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000', BCRYPT_COST: '4' })).toEqual({
      tableName: 'table',
      region: 'us-east-1',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      bcryptCost: 4,
      allowSignup: true,
    });
  });

  it('still names a missing table or a bad cost', () => {
    const attempt = () => loadAccountConfig({ BCRYPT_COST: '99' });
    for (const name of ['TABLE_NAME', 'BCRYPT_COST']) expect(attempt).toThrow(new RegExp(name));
  });
});
