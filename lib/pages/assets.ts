import { createHash } from 'node:crypto';
import { PageNotFoundError } from '../errors';
import script from './browser/main.ts?browser-script';
import styles from './styles.css';

/**
 * The pages' CSS and script, bundled into the function at build time (scripts/esbuild-plugins.js;
 * under jest, test/support/browser-script-transform.js). Each is served under a name that carries
 * a hash of its content, so it can be cached for a year: a new version is a new name.
 */
export interface Asset {
  readonly name: string;
  readonly contentType: string;
  readonly body: string;
}

function asset(base: string, extension: string, contentType: string, body: string): Asset {
  const hash = createHash('sha256').update(body).digest('base64url').slice(0, 12);
  return { name: `${base}.${hash}.${extension}`, contentType, body };
}

export const ASSETS = {
  script: asset('pages', 'js', 'text/javascript; charset=utf-8', script),
  styles: asset('pages', 'css', 'text/css; charset=utf-8', styles),
} as const;

/** The asset of exactly this name; an old or made-up name is a PageNotFoundError. */
export function assetNamed(name: string): Asset {
  const found = Object.values(ASSETS).find((candidate) => candidate.name === name);
  if (found === undefined) throw new PageNotFoundError();
  return found;
}
