// The badge is shared with the team portal; it lives in src/components.
export { StatusBadge, statusLabel } from '../../../components/status-badge.tsx';
