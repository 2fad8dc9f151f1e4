// The badge is shared with the dashboard and the team portal; it lives in src/components.
export { StatusBadge, statusLabel } from '../../../components/status-badge.tsx';
