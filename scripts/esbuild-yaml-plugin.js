// serverless-esbuild plugins (custom.esbuild.plugins): `import x from './file.yaml'` bundles the
// YAML as JSON at build time, so no YAML parser ships in the functions.
const { readFile } = require('node:fs/promises');
const { load } = require('js-yaml');

const yamlAsJson = {
  name: 'yaml-as-json',
  setup(build) {
    build.onLoad({ filter: /\.ya?ml$/ }, async (args) => ({
      contents: JSON.stringify(load(await readFile(args.path, 'utf8'))),
      loader: 'json',
    }));
  },
};

module.exports = [yamlAsJson];
