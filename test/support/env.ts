// Settings every test process shares. DynamoDB Local's address comes from the global setup.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] = 'true';
process.env['TABLE_NAME'] ??= 'serverless-auth-test';
process.env['JWT_SECRET'] ??= 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
process.env['JWT_ISSUER'] ??= 'https://auth.test/dev';
process.env['JWT_AUDIENCE'] ??= 'serverless-auth';
process.env['BCRYPT_COST'] ??= '4';
process.env['ALLOW_SIGNUP'] ??= 'true';
process.env['POWERTOOLS_LOG_LEVEL'] ??= 'SILENT';
