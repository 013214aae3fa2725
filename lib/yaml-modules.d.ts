// YAML files are turned into JSON when imported: by scripts/esbuild-yaml-plugin.js in the
// bundles, by test/support/yaml-transform.js under jest.
declare module '*.yaml' {
  const document: Record<string, unknown>;
  export default document;
}
