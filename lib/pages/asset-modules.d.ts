// The pages' assets arrive as text: scripts/esbuild-plugins.js bundles them into the functions,
// test/support/browser-script-transform.js and text-transform.js do the same under jest.

/** A browser entry point (lib/pages/browser/), bundled for the browser: the script's text. */
declare module '*?browser-script' {
  const source: string;
  export default source;
}

declare module '*.css' {
  const source: string;
  export default source;
}
