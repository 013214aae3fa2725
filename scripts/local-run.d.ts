// Types of scripts/local-run.js (CommonJS, for Serverless plugins) for the TypeScript that reads it.

/** A running `npm start`'s serverless offline: its pid, base URL and its functions' settings. */
export interface LocalRun {
  readonly pid: number;
  readonly url: string;
  readonly environment: Record<string, string>;
}

export const LOCAL_ONLY_VARIABLES: readonly string[];
export function runFile(port: number | string): string;
export function writeRun(port: number | string, run: LocalRun): void;
export function readRun(port: number | string): LocalRun | undefined;
export function removeRun(port: number | string, pid: number): void;
