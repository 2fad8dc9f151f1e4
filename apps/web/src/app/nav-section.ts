import { AUDIT_PATH, BATCHES_PATH, CALENDAR_PATH, DASHBOARD_PATH, FUNCTIONS_PATH, PORTAL_PATH, SECRETS_PATH } from '../lib/paths.ts';

/** The side navigation's links, by the path each opens. */
const NAV_SECTIONS = [PORTAL_PATH, DASHBOARD_PATH, SECRETS_PATH, CALENDAR_PATH, FUNCTIONS_PATH, BATCHES_PATH, AUDIT_PATH] as const;

/**
 * The side navigation's link to mark for a page: the section its breadcrumbs start from, on every
 * page alike. A secret's page (its timeline is a tab of it), its rotation wizard and a workflow
 * (whose breadcrumbs start at Secrets) from the secrets list. Null for a page of no section.
 */
export const navSectionOf = (pathname: string): string | null => {
  if (pathname.startsWith('/workflows/')) return SECRETS_PATH;
  return NAV_SECTIONS.find((section) => pathname === section || pathname.startsWith(`${section}/`)) ?? null;
};
