import { lazy } from 'react';
import { Navigate, useParams, type RouteObject } from 'react-router';
import { DashboardPage } from '../features/dashboard/routes/dashboard-page.tsx';
import { secretTabPath } from '../lib/paths.ts';
import { Landing } from './landing.tsx';
import { Layout } from './layout.tsx';
import { NotFoundPage } from './not-found-page.tsx';
import { SignedOutPage } from './signed-out-page.tsx';

// The dashboard (the landing page) comes with the first bundle, so its requests leave without
// waiting for a route chunk. Every other page is a chunk of its own: the rotation wizard, the Secret page
// (with its operations dialog, itself a chunk) and the calendar only load when they are opened.
/** Each page chunk's loader, by page: what `lazy` loads, and what tests load before they wait (test/render.tsx). */
export const PAGE_CHUNKS = {
  secretsList: () => import('../features/secrets/routes/secrets-list-page.tsx').then((m) => ({ default: m.SecretsListPage })),
  secretDetail: () => import('../features/secrets/routes/secret-detail-page.tsx').then((m) => ({ default: m.SecretDetailPage })),
  rotationWizard: () => import('../features/rotation/routes/rotation-wizard-page.tsx').then((m) => ({ default: m.RotationWizardPage })),
  calendar: () => import('../features/dashboard/routes/calendar-page.tsx').then((m) => ({ default: m.CalendarPage })),
  portal: () => import('../features/portal/routes/portal-page.tsx').then((m) => ({ default: m.PortalPage })),
  audit: () => import('../features/audit/routes/audit-page.tsx').then((m) => ({ default: m.AuditPage })),
  workflow: () => import('../features/rotation/routes/workflow-page.tsx').then((m) => ({ default: m.WorkflowPage })),
  functions: () => import('../features/functions/routes/functions-page.tsx').then((m) => ({ default: m.FunctionsPage })),
  events: () => import('../features/events/routes/events-page.tsx').then((m) => ({ default: m.EventsPage })),
  batches: () => import('../features/batches/routes/batches-page.tsx').then((m) => ({ default: m.BatchesPage })),
  newBatch: () => import('../features/batches/routes/new-batch-page.tsx').then((m) => ({ default: m.NewBatchPage })),
  batch: () => import('../features/batches/routes/batch-page.tsx').then((m) => ({ default: m.BatchPage })),
};
const SecretsListPage = lazy(PAGE_CHUNKS.secretsList);
const SecretDetailPage = lazy(PAGE_CHUNKS.secretDetail);
const RotationWizardPage = lazy(PAGE_CHUNKS.rotationWizard);
const CalendarPage = lazy(PAGE_CHUNKS.calendar);
const PortalPage = lazy(PAGE_CHUNKS.portal);
const AuditPage = lazy(PAGE_CHUNKS.audit);
const WorkflowPage = lazy(PAGE_CHUNKS.workflow);
const FunctionsPage = lazy(PAGE_CHUNKS.functions);
const EventsPage = lazy(PAGE_CHUNKS.events);
const BatchesPage = lazy(PAGE_CHUNKS.batches);
const NewBatchPage = lazy(PAGE_CHUNKS.newBatch);
const BatchPage = lazy(PAGE_CHUNKS.batch);

/** The timeline was a page of its own; its links (bookmarks, older builds) open the Secret page's Timeline tab. */
function SecretTimelineRedirect() {
  const { secretId = '' } = useParams();
  return <Navigate replace to={secretTabPath({ name: secretId }, 'timeline')} />;
}

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
      { path: 'secrets/:secretId/timeline', element: <SecretTimelineRedirect /> },
      { path: 'workflows/:workflowId', element: <WorkflowPage /> },
      { path: 'functions', element: <FunctionsPage /> },
      { path: 'batches', element: <BatchesPage /> },
      { path: 'batches/new', element: <NewBatchPage /> },
      { path: 'batches/:batchId', element: <BatchPage /> },
      { path: 'audit', element: <AuditPage /> },
      { path: 'events', element: <EventsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];
