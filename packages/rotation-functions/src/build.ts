// Bundles the handler (drivers and AWS SDK included) into one ESM file and zips it
// with `index.mjs` at the root, the layout Lambda's nodejs24.x runtime expects for
// Handler `index.handler`.
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { zipSync } from 'fflate';

export const LAMBDA_HANDLER = 'index.handler';
export const LAMBDA_RUNTIME = 'nodejs24.x';
export const BUNDLE_FILE_NAME = 'index.mjs';

const ENTRY = fileURLToPath(new URL('./lambda.ts', import.meta.url));

// CommonJS dependencies (pg, mysql2) call require() for Node built-ins; give the ESM
// bundle a real require.
const BANNER = "import { createRequire as __rcCreateRequire } from 'node:module';\nconst require = __rcCreateRequire(import.meta.url);";

export interface BuildOptions {
  minify?: boolean;
  sourcemap?: boolean;
}

/** The bundled handler source (index.mjs). */
export async function bundleRotationFunction(options: BuildOptions = {}): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    write: false,
    outfile: BUNDLE_FILE_NAME,
    minify: options.minify ?? true,
    sourcemap: options.sourcemap ? 'inline' : false,
    legalComments: 'none',
    banner: { js: BANNER },
    // Optional native binding of pg, never installed.
    external: ['pg-native'],
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no output');
  return file.contents;
}

export interface RotationFunctionZip {
  /** Zip bytes with index.mjs at the root. */
  zip: Uint8Array;
  /** Base64 SHA-256 of the zip, as Lambda reports CodeSha256. */
  sha256: string;
  handler: typeof LAMBDA_HANDLER;
  runtime: typeof LAMBDA_RUNTIME;
}

/** Builds the deployment package in memory (for S3 upload / Lambda CreateFunction). */
export async function buildRotationFunctionZip(options: BuildOptions = {}): Promise<RotationFunctionZip> {
  const code = await bundleRotationFunction(options);
  // Fixed timestamp: the same source gives the same zip.
  const zip = zipSync({ [BUNDLE_FILE_NAME]: [code, { level: 9, mtime: new Date('2020-01-01T00:00:00Z') }] });
  return {
    zip,
    sha256: createHash('sha256').update(zip).digest('base64'),
    handler: LAMBDA_HANDLER,
    runtime: LAMBDA_RUNTIME,
  };
}
