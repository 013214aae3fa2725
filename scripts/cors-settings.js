// serverless.yml `${file(./scripts/cors-settings.js):…}`: what follows from custom.corsOrigin.
// Credentialed CORS (the refresh cookie of cookie mode, sent by a script on the one allowed
// origin) only with one configured origin; with '*' browsers refuse credentials anyway, and the
// API must not claim to allow them.
module.exports = async ({ resolveVariable }) => {
  const origin = await resolveVariable('self:custom.corsOrigin');
  const allowCredentials = origin !== '*' && origin !== '';
  return { allowCredentials, disallowCredentials: !allowCredentials };
};
