import { buildRotationFunctionZip } from '@rotation-console/rotation-functions';

export interface FunctionArtifact {
  key: string;
  zip: Uint8Array;
  sha256: string;
}

/**
 * The bundled rotation function's deployment zip, built once per process on first use
 * (esbuild, about a second). The S3 key carries the zip's hash, so a new build is a
 * new object and an unchanged one is uploaded once.
 */
export const createFunctionArtifact = () => {
  let built: Promise<FunctionArtifact> | undefined;
  return (): Promise<FunctionArtifact> => {
    built ??= buildRotationFunctionZip().then(({ zip, sha256 }) => ({
      zip,
      sha256,
      key: `rotation-console/rotation-function-${Buffer.from(sha256, 'base64').toString('hex').slice(0, 16)}.zip`,
    }));
    built.catch(() => (built = undefined));
    return built;
  };
};
export type FunctionArtifactSource = ReturnType<typeof createFunctionArtifact>;
