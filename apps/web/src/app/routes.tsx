import { lazy } from 'react';
import type { RouteObject } from 'react-router';
import { DashboardPage } from '../features/dashboard/routes/dashboard-page.tsx';
import { Landing } from './landing.tsx';
import { Layout } from './layout.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { SignedOutPage } from './signed-out-page.tsx';

// The dashboard (the landing page) comes with the first bundle, so its requests leave without
// waiting for a route chunk. Every other page is a chunk of its own: the rotation wizard, the timeline
// (with its operations dialog, itself a chunk) and the calendar only load when they are opened.
const SecretsListPage = lazy(() =>
  import('../features/secrets/routes/secrets-list-page.tsx').then((m) => ({ default: m.SecretsListPage })),
);
const SecretDetailPage = lazy(() =>
  import('../features/secrets/routes/secret-detail-page.tsx').then((m) => ({ default: m.SecretDetailPage })),
);
const RotationWizardPage = lazy(() =>
  import('../features/rotation/routes/rotation-wizard-page.tsx').then((m) => ({ default: m.RotationWizardPage })),
);
const SecretTimelinePage = lazy(() =>
  import('../features/dashboard/routes/secret-timeline-page.tsx').then((m) => ({ default: m.SecretTimelinePage })),
);
const CalendarPage = lazy(() => import('../features/dashboard/routes/calendar-page.tsx').then((m) => ({ default: m.CalendarPage })));
const PortalPage = lazy(() => import('../features/portal/routes/portal-page.tsx').then((m) => ({ default: m.PortalPage })));
const AuditPage = lazy(() => import('../features/audit/routes/audit-page.tsx').then((m) => ({ default: m.AuditPage })));
const WorkflowPage = lazy(() => import('../features/rotation/routes/workflow-page.tsx').then((m) => ({ default: m.WorkflowPage })));

export const routes: RouteObject[] = [
  { path: 'signed-out', element: <SignedOutPage /> },
  {
    element: <Layout />,
    children: [
      // The fleet at a glance is the landing page; a team's operator lands on the team portal.
      { index: true, element: <Landing /> },
      { path: 'dashboard', element: <DashboardPage /> },
      { path: 'calendar', element: <CalendarPage /> },
      { path: 'portal', element: <PortalPage /> },
      { path: 'secrets', element: <SecretsListPage /> },
      { path: 'secrets/:secretId', element: <SecretDetailPage /> },
      { path: 'secrets/:secretId/rotation', element: <RotationWizardPage /> },
      { path: 'secrets/:secretId/timeline', element: <SecretTimelinePage /> },
      { path: 'workflows/:workflowId', element: <WorkflowPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
