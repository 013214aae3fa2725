// Jest transform: a CSS module is its text, as scripts/esbuild-plugins.js bundles it (minified
// there; the tests need only the same kind of value).
module.exports = {
  process(source) {
    return { code: `module.exports = ${JSON.stringify(source)};` };
  },
};
