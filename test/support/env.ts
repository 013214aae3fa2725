// Settings every test process shares. DynamoDB Local's address comes from the global setup.
import { randomBytes } from 'node:crypto';

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
process.env['TABLE_NAME'] ??= 'serverless-auth-test';
// A fresh secret per test process: no secret is ever a literal in the repository.
process.env['JWT_SECRET'] ??= randomBytes(32).toString('base64url');
process.env['JWT_ISSUER'] ??= 'https://auth.test/dev';
process.env['JWT_AUDIENCE'] ??= 'serverless-auth';
process.env['BCRYPT_COST'] ??= '4';
process.env['ALLOW_SIGNUP'] ??= 'true';
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
