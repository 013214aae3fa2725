import { AccessTokenService } from '../auth/access-tokens';
import { systemClock } from '../clock';
import { config, once } from './config';
import { signingKeys } from './keys';

export const accessTokens = once(
  () =>
    new AccessTokenService(
      signingKeys(),
      {
        issuer: config().issuer,
        audience: config().audience,
        ttlSeconds: config().accessTokenTtlSeconds,
      },
      systemClock,
    ),
);
