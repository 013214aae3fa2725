// Jest transform for lib/pages/browser/*.ts, which only lib/pages/assets.ts imports (as
// `./browser/main.ts?browser-script`, mapped here by jest.config.js): the module is the bundled
// browser script's text, built with exactly the options the functions' bundles use.
const { createHash } = require('node:crypto');
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const esbuild = require('esbuild');
const { browserBuildOptions } = require('../../scripts/esbuild-plugins');

const SOURCES = [join(__dirname, '../../lib/pages/browser'), join(__dirname, '../../lib/pages/i18n')];

module.exports = {
  process(_source, path) {
    const result = esbuild.buildSync(browserBuildOptions(path));
    return { code: `module.exports = ${JSON.stringify(result.outputFiles[0].text)};` };
  },
  // The bundle depends on every file it pulls in, not only on the entry point jest hands us.
  getCacheKey(source, path) {
    const hash = createHash('sha256').update(source).update(path).update(readFileSync(join(__dirname, 'browser-script-transform.js')));
    for (const dir of SOURCES) for (const file of readdirSync(dir).sort()) hash.update(file).update(readFileSync(join(dir, file)));
    return hash.digest('hex');
  },
};
