// `node test/support/validate-openapi.js <file.yaml>`: validates an OpenAPI document with
// @apidevtools/swagger-parser in plain Node (its parser is ESM inside, which jest 29 cannot load).
// Prints "valid", or the validation errors and exits 1.
const { readFileSync } = require('node:fs');
const SwaggerParser = require('@apidevtools/swagger-parser');
const { load } = require('js-yaml');

SwaggerParser.validate(load(readFileSync(process.argv[2], 'utf8'))).then(
  () => console.log('valid'),
  (error) => {
    console.log(error.message);
    process.exitCode = 1;
  },
);
