import { useCallback } from 'react';
import { useNavigate } from 'react-router';

interface FollowEvent {
  preventDefault: () => void;
  detail: { href?: string; external?: boolean };
}

/**
 * Cloudscape links, breadcrumbs and navigation render real anchors; this turns a plain click on an
 * internal one into a client-side navigation (modified clicks still open a new tab).
 */
export const useFollow = () => {
  const navigate = useNavigate();
  return useCallback(
    (event: FollowEvent) => {
      const { href, external } = event.detail;
      if (!href || external) return;
      event.preventDefault();
      void navigate(href);
    },
    [navigate],
  );
};
