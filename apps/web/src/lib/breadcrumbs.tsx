import BreadcrumbGroup, { type BreadcrumbGroupProps } from '@cloudscape-design/components/breadcrumb-group';
import { useFollow } from './navigation.ts';

/** The page's breadcrumbs; internal hrefs navigate client-side. */
export function Breadcrumbs({ items }: { items: BreadcrumbGroupProps.Item[] }) {
  const follow = useFollow();
  return <BreadcrumbGroup items={items} ariaLabel="Breadcrumbs" expandAriaLabel="Show path" onFollow={follow} />;
}
