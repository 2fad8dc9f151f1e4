import { lazy } from 'react';
import { Navigate, type RouteObject } from 'react-router';
import { Layout } from './layout.tsx';
import { NotFoundPage } from './not-found-page.tsx';

// One chunk per page: the rotation wizard in particular only loads when it is opened.
const SecretsListPage = lazy(() =>
  import('../features/secrets/routes/secrets-list-page.tsx').then((m) => ({ default: m.SecretsListPage })),
);
const SecretDetailPage = lazy(() =>
  import('../features/secrets/routes/secret-detail-page.tsx').then((m) => ({ default: m.SecretDetailPage })),
);
const RotationWizardPage = lazy(() =>
  import('../features/rotation/routes/rotation-wizard-page.tsx').then((m) => ({ default: m.RotationWizardPage })),
);
const DashboardPage = lazy(() => import('../features/dashboard/routes/dashboard-page.tsx').then((m) => ({ default: m.DashboardPage })));
const SecretTimelinePage = lazy(() =>
  import('../features/dashboard/routes/secret-timeline-page.tsx').then((m) => ({ default: m.SecretTimelinePage })),
);
const CalendarPage = lazy(() => import('../features/dashboard/routes/calendar-page.tsx').then((m) => ({ default: m.CalendarPage })));
const WorkflowPage = lazy(() => import('../features/rotation/routes/workflow-page.tsx').then((m) => ({ default: m.WorkflowPage })));

export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { index: true, element: <Navigate to="/dashboard" replace /> },
      { path: 'dashboard', element: <DashboardPage /> },
      { path: 'calendar', element: <CalendarPage /> },
      { path: 'secrets', element: <SecretsListPage /> },
      { path: 'secrets/:secretId', element: <SecretDetailPage /> },
      { path: 'secrets/:secretId/rotation', element: <RotationWizardPage /> },
      { path: 'secrets/:secretId/timeline', element: <SecretTimelinePage /> },
      { path: 'workflows/:workflowId', element: <WorkflowPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
