import { describe, expect, it } from 'vitest';
import { landingPathFor } from './landing.tsx';

describe('Landing page (/)', () => {
  it.each([
    ['an operator of payments', { roles: ['operator'], teams: ['payments'] }, '/portal'],
    ['an operator of no team', { roles: ['operator'], teams: [] }, '/dashboard'],
    ['an admin', { roles: ['admin'], teams: [] }, '/dashboard'],
    ['an admin who is also in a team', { roles: ['admin', 'operator'], teams: ['payments'] }, '/dashboard'],
    ['a viewer', { roles: ['viewer'], teams: [] }, '/dashboard'],
    ['someone not known yet', undefined, '/dashboard'],
  ] as const)('When %s opens the console, then it lands on %s', (_who, me, path) => {
    expect(landingPathFor(me ? { roles: [...me.roles], teams: [...me.teams] } : undefined)).toBe(path);
  });
});
