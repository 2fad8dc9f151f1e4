import type { Me } from '@rotation-console/contracts';
import { Navigate } from 'react-router';
import { useMe } from '../lib/me.ts';
import { DASHBOARD_PATH, PORTAL_PATH } from '../lib/paths.ts';

/** An operator of one or more teams (and nothing more) lands on the team portal; everyone else on the fleet dashboard. */
export const landingPathFor = (me: Pick<Me, 'roles' | 'teams'> | undefined): string =>
  me && me.roles.includes('operator') && !me.roles.includes('admin') && !me.roles.includes('viewer') && me.teams.length > 0 ? PORTAL_PATH : DASHBOARD_PATH;

/** `/`: waits for who the person is (one small request), then goes to their landing page. */
export function Landing() {
  const me = useMe();
  if (me.isPending) return null;
  return <Navigate to={landingPathFor(me.data)} replace />;
}
