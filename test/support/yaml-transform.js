// Jest transform: a YAML module is its document, as scripts/esbuild-yaml-plugin.js bundles it.
const { load } = require('js-yaml');

module.exports = {
  process(source) {
    return { code: `module.exports = ${JSON.stringify(load(source))};` };
  },
};
