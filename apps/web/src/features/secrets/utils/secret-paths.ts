/**
 * Browser paths of a secret's pages. The id is one URL segment, so it is percent-encoded
 * (names may contain `/`, `+`, `=`, `@`). A name made only of dots would be read as `.`/`..` by the
 * URL parser whether encoded or not, so such a secret is addressed by its ARN instead.
 */
const idFor = (secret: { name: string; arn?: string }): string =>
  /^\.+$/.test(secret.name) && secret.arn ? secret.arn : secret.name;

export const secretPath = (secret: { name: string; arn?: string }): string =>
  `/secrets/${encodeURIComponent(idFor(secret))}`;

export const secretRotationPath = (secret: { name: string; arn?: string }): string =>
  `${secretPath(secret)}/rotation`;

export const SECRETS_PATH = '/secrets';
