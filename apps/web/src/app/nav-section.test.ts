import { describe, expect, it } from 'vitest';
import { navSectionOf } from './nav-section.ts';

describe('navSectionOf', () => {
  it.each([
    ['/dashboard', '/dashboard'],
    ['/secrets', '/secrets'],
    ['/secrets/prod%2Forders%2Fpostgres', '/secrets'],
    ['/secrets/prod%2Forders%2Fpostgres/rotation', '/secrets'],
    ['/secrets/prod%2Forders%2Fpostgres/timeline', '/secrets'],
    ['/workflows/wf-1', '/secrets'],
    ['/calendar', '/calendar'],
    ['/portal', '/portal'],
    ['/audit', '/audit'],
    ['/functions', '/functions'],
    ['/no-such-page', null],
  ])('When the page is %s, then the side navigation marks %s, the section its breadcrumbs start from', (pathname, section) => {
    // Arrange / Act / Assert
    expect(navSectionOf(pathname)).toBe(section);
  });
});
