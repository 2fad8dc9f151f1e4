/**
 * Browser paths the dashboard links to. A secret id (a name or an ARN) is one percent-encoded URL
 * segment; a name made only of dots would be read as `.`/`..`, so such a secret goes by its ARN.
 */
const idFor = (secret: { name: string; arn?: string }): string => (/^\.+$/.test(secret.name) && secret.arn ? secret.arn : secret.name);

export const DASHBOARD_PATH = '/dashboard';

/** The Secret page: its rotation, operations, versions, timeline and tags. */
export const secretPagePath = (secret: { name: string; arn?: string }): string => `/secrets/${encodeURIComponent(idFor(secret))}`;
