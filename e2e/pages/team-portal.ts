import { expect, type Locator, type Page } from '@playwright/test';
import { openDropdown } from './dropdown.ts';

/** The team portal (/portal) as a team's operator uses it. */
export class TeamPortal {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(team?: string) {
    await this.page.goto(team ? `/portal?team=${encodeURIComponent(team)}` : '/portal');
    await expect(this.page.getByRole('table', { name: 'Needs attention' }).or(this.page.getByText('Nothing needs attention'))).toBeVisible();
  }

  heading(): Locator {
    return this.page.getByRole('heading', { level: 1 });
  }

  teamSelector(): Locator {
    return this.page.getByRole('button', { name: /^Team/ });
  }

  needsAttention(): Locator {
    return this.page.getByRole('table', { name: 'Needs attention' });
  }

  secrets(teamName: string): Locator {
    return this.page.getByRole('table', { name: `${teamName} secrets` });
  }

  async chooseTeam(displayName: string) {
    await openDropdown(this.teamSelector());
    await this.page.getByRole('option', { name: new RegExp(`^${displayName}`) }).click();
    await expect(this.heading()).toHaveText(displayName);
  }

  enableRotation(secretName: string): Locator {
    return this.page.getByRole('link', { name: `Enable rotation for ${secretName}` });
  }
}
