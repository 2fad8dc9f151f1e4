/**
 * The console's browser paths, one builder per page, so a link to a page is spelled in one place.
 *
 * A secret id (a name or an ARN) is one URL segment, so it is percent-encoded (names may contain
 * `/`, `+`, `=`, `@`). A name made only of dots would be read as `.`/`..` by the URL parser whether
 * encoded or not, so such a secret is addressed by its ARN instead, when the caller has it.
 */
export const DASHBOARD_PATH = '/dashboard';
export const PORTAL_PATH = '/portal';
export const SECRETS_PATH = '/secrets';
export const CALENDAR_PATH = '/calendar';
export const AUDIT_PATH = '/audit';
export const EVENTS_PATH = '/events';
export const FUNCTIONS_PATH = '/functions';
export const BATCHES_PATH = '/batches';

/** A secret as the pages know it: its name, and its ARN where they have it. */
type SecretRef = { name: string; arn?: string };

const idFor = (secret: SecretRef): string => (/^\.+$/.test(secret.name) && secret.arn ? secret.arn : secret.name);

/** The Secret page: its details, rotation, versions, timeline and tags. */
export const secretPath = (secret: SecretRef): string => `${SECRETS_PATH}/${encodeURIComponent(idFor(secret))}`;

/** The tabs of the Secret page, as the AWS console groups a secret's page; the first is where it opens. */
export const SECRET_TABS = ['rotation', 'versions', 'timeline', 'tags'] as const;
export type SecretTab = (typeof SECRET_TABS)[number];

/** The tab named by the page's `?tab=`; the rotation tab for none or one it does not know. */
export const secretTabOf = (param: string | null): SecretTab => SECRET_TABS.find((tab) => tab === param) ?? 'rotation';

/** The Secret page opened at one of its tabs (`?tab=`; none for the rotation tab). */
export const secretTabPath = (secret: SecretRef, tab: SecretTab): string => (tab === 'rotation' ? secretPath(secret) : `${secretPath(secret)}?tab=${tab}`);

/** The rotation wizard of a secret; with a team, prefilled with that team's defaults (`?team=`). */
export const secretRotationPath = (secret: SecretRef, team?: string): string =>
  `${secretPath(secret)}/rotation${team === undefined ? '' : `?team=${encodeURIComponent(team)}`}`;

/** A rotation workflow's page, as it runs and after. */
export const workflowPath = (workflowId: string): string => `/workflows/${encodeURIComponent(workflowId)}`;

/** A batch's page (many secrets at once), as it runs and after. */
export const batchPath = (batchId: string): string => `${BATCHES_PATH}/${encodeURIComponent(batchId)}`;
