import AppLayout from '@cloudscape-design/components/app-layout';
import Box from '@cloudscape-design/components/box';
import SideNavigation from '@cloudscape-design/components/side-navigation';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { Suspense, useState } from 'react';
import { Outlet, useLocation } from 'react-router';
import { useFollow } from '../lib/navigation.ts';

const HEADER_ID = 'top-navigation';

function PageLoading() {
  return (
    <Box padding={{ vertical: 'l' }}>
      <StatusIndicator type="loading">Loading</StatusIndicator>
    </Box>
  );
}

/** The console chrome: top navigation, side navigation and the page in the middle. */
export function Layout() {
  const follow = useFollow();
  const { pathname } = useLocation();
  const [navigationOpen, setNavigationOpen] = useState(true);
  const activeHref = pathname.endsWith('/timeline') ? '/dashboard' : pathname.startsWith('/secrets') ? '/secrets' : pathname;

  return (
    <>
      <div id={HEADER_ID} style={{ position: 'sticky', top: 0, zIndex: 1002 }}>
        <TopNavigation
          identity={{ href: '/', title: 'Rotation Console', onFollow: (event) => follow(event) }}
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
            header={{ text: 'Secrets Manager', href: '/dashboard' }}
            activeHref={activeHref}
            onFollow={follow}
            items={[
              { type: 'link', text: 'Dashboard', href: '/dashboard' },
              { type: 'link', text: 'Secrets', href: '/secrets' },
              { type: 'link', text: 'Calendar', href: '/calendar' },
            ]}
          />
        }
        content={
          <Suspense fallback={<PageLoading />}>
            <Outlet />
          </Suspense>
        }
      />
    </>
  );
}
