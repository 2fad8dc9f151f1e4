/**
 * Browser paths the dashboard links to. A secret id (a name or an ARN) is one percent-encoded URL
 * segment; a name made only of dots would be read as `.`/`..`, so such a secret goes by its ARN.
 * Workflow pages belong to the rotation feature: they are reached by URL, never by import.
 */
const idFor = (secret: { name: string; arn?: string }): string => (/^\.+$/.test(secret.name) && secret.arn ? secret.arn : secret.name);

export const DASHBOARD_PATH = '/dashboard';

export const secretPagePath = (secret: { name: string; arn?: string }): string => `/secrets/${encodeURIComponent(idFor(secret))}`;

export const timelinePath = (secret: { name: string; arn?: string }): string => `${secretPagePath(secret)}/timeline`;

export const workflowPath = (workflowId: string): string => `/workflows/${encodeURIComponent(workflowId)}`;
