/**
 * Browser paths the portal links to. A secret id is one percent-encoded URL segment; a name made
 * only of dots would be read as `.`/`..`, so such a secret goes by its ARN.
 */
const idFor = (secret: { name: string; arn: string }): string => (/^\.+$/.test(secret.name) ? secret.arn : secret.name);

export const PORTAL_PATH = '/portal';

export const secretPagePath = (secret: { name: string; arn: string }): string => `/secrets/${encodeURIComponent(idFor(secret))}`;

/** The rotation wizard, prefilled with the team's defaults (`?team=`). */
export const enableRotationPath = (secret: { name: string; arn: string }, team: string): string =>
  `${secretPagePath(secret)}/rotation?team=${encodeURIComponent(team)}`;
