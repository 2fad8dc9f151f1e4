import Alert from '@cloudscape-design/components/alert';
import AppLayout from '@cloudscape-design/components/app-layout';
import Box from '@cloudscape-design/components/box';
import SideNavigation from '@cloudscape-design/components/side-navigation';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import TopNavigation, { type TopNavigationProps } from '@cloudscape-design/components/top-navigation';
import type { Me } from '@rotation-console/contracts';
import { Suspense, useState } from 'react';
import { Outlet, useLocation } from 'react-router';
import { describeMe, useCan, useMe } from '../lib/me.ts';
import { useFollow } from '../lib/navigation.ts';
import { AUDIT_PATH, BATCHES_PATH, EVENTS_PATH, CALENDAR_PATH, DASHBOARD_PATH, FUNCTIONS_PATH, PORTAL_PATH, SECRETS_PATH } from '../lib/paths.ts';
import { signOut } from '../lib/sign-out.ts';
import { navSectionOf } from './nav-section.ts';

const HEADER_ID = 'top-navigation';

function PageLoading() {
  return (
    <Box padding={{ vertical: 'l' }}>
      <StatusIndicator type="loading">Loading</StatusIndicator>
    </Box>
  );
}

const SIGN_OUT = 'sign-out';

/** The person's menu: name, roles and teams, and "Sign out" when signed in with a session. */
const personMenu = (me: Me, onSignOut: () => void): TopNavigationProps.Utility => ({
  type: 'menu-dropdown',
  text: me.name,
  description: me.authMode === 'local' ? `${describeMe(me)} (sign-in is off: AUTH_MODE=local)` : describeMe(me),
  iconName: 'user-profile',
  items: me.via === 'session' ? [{ id: SIGN_OUT, text: 'Sign out' }] : [],
  onItemClick: ({ detail }) => {
    if (detail.id === SIGN_OUT) onSignOut();
  },
});

/** The console chrome: top navigation, side navigation and the page in the middle. */
export function Layout() {
  const follow = useFollow();
  const { pathname } = useLocation();
  const [navigationOpen, setNavigationOpen] = useState(true);
  const { data: me } = useMe();
  const canReadAudit = useCan()('audit:read', { type: 'service' });
  const canReadEvents = useCan()('events:read', { type: 'service' });
  const [signOutError, setSignOutError] = useState<string | null>(null);
  const onSignOut = () => {
    setSignOutError(null);
    signOut().catch((error: unknown) => setSignOutError(error instanceof Error ? error.message : 'Signing out failed. Try again.'));
  };
  const activeHref = navSectionOf(pathname) ?? undefined;

  return (
    <>
      <div id={HEADER_ID} style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <TopNavigation
          identity={{ href: '/', title: 'Rotation Console', onFollow: (event) => follow(event) }}
          utilities={me ? [personMenu(me, onSignOut)] : []}
          i18nStrings={{ overflowMenuTriggerText: 'More', overflowMenuTitleText: 'All' }}
        />
      </div>
      <AppLayout
        headerSelector={`#${HEADER_ID}`}
        toolsHide
        navigationOpen={navigationOpen}
        onNavigationChange={({ detail }) => setNavigationOpen(detail.open)}
        ariaLabels={{ navigation: 'Side navigation', navigationClose: 'Close side navigation', navigationToggle: 'Open side navigation' }}
        navigation={
          <SideNavigation
            header={{ text: 'Secrets Manager', href: DASHBOARD_PATH }}
            activeHref={activeHref}
            onFollow={follow}
            items={[
              { type: 'link', text: 'Team portal', href: PORTAL_PATH },
              { type: 'link', text: 'Dashboard', href: DASHBOARD_PATH },
              { type: 'link', text: 'Secrets', href: SECRETS_PATH },
              { type: 'link', text: 'Calendar', href: CALENDAR_PATH },
              { type: 'link', text: 'Functions', href: FUNCTIONS_PATH },
              { type: 'link', text: 'Batches', href: BATCHES_PATH },
              // Admins only, as the API decides (audit:read).
              ...(canReadAudit ? [{ type: 'link' as const, text: 'Audit log', href: AUDIT_PATH }] : []),
              // Admins only (events:read).
              ...(canReadEvents ? [{ type: 'link' as const, text: 'Rotation events', href: EVENTS_PATH }] : []),
            ]}
          />
        }
        content={
          <Suspense fallback={<PageLoading />}>
            {signOutError && (
              <Alert type="error" dismissible onDismiss={() => setSignOutError(null)}>
                {signOutError}
              </Alert>
            )}
            <Outlet />
          </Suspense>
        }
      />
    </>
  );
}
