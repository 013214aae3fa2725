// serverless-esbuild plugins (custom.esbuild.plugins): everything a function imports that is not
// TypeScript. YAML becomes JSON (scripts/esbuild-yaml-plugin.js); the hosted pages' CSS and script
// become text, the script bundled for the browser from lib/pages/browser/ on the way.
// test/support/text-transform.js and browser-script-transform.js do the same under jest.
const { readFile } = require('node:fs/promises');
const { resolve } = require('node:path');
const esbuild = require('esbuild');
const yamlPlugins = require('./esbuild-yaml-plugin');

const BROWSER_SUFFIX = /\?browser-script$/;

/** How a browser entry point is bundled: one self-contained script, for browsers of the last few years. */
function browserBuildOptions(entryPoint) {
  return {
    entryPoints: [entryPoint],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome109', 'firefox115', 'safari16'],
    minify: true,
    legalComments: 'none',
    metafile: true,
  };
}

const browserScript = {
  name: 'browser-script',
  setup(build) {
    build.onResolve({ filter: BROWSER_SUFFIX }, (args) => ({
      path: resolve(args.resolveDir, args.path.replace(BROWSER_SUFFIX, '')),
      namespace: 'browser-script',
    }));
    build.onLoad({ filter: /.*/, namespace: 'browser-script' }, async (args) => {
      const result = await esbuild.build(browserBuildOptions(args.path));
      return {
        contents: result.outputFiles[0].text,
        loader: 'text',
        watchFiles: Object.keys(result.metafile.inputs).map((input) => resolve(input)),
      };
    });
  },
};

const cssAsText = {
  name: 'css-as-text',
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, async (args) => {
      const css = await readFile(args.path, 'utf8');
      const { code } = await esbuild.transform(css, { loader: 'css', minify: true });
      return { contents: code, loader: 'text' };
    });
  },
};

module.exports = [...yamlPlugins, browserScript, cssAsText];
module.exports.browserBuildOptions = browserBuildOptions;
