import { expect, type Locator, type Page } from '@playwright/test';
import { openDropdown } from './dropdown.ts';

/** The Secrets list, as a person uses it. */
export class SecretsPage {
  readonly table: Locator;
  readonly nameFilter: Locator;
  readonly teamFilter: Locator;
  readonly page: Page;

  constructor(page: Page) {
    this.page = page;
    this.table = page.getByRole('table', { name: 'Secrets' });
    this.nameFilter = page.getByRole('searchbox', { name: 'Filter by secret name' });
    this.teamFilter = page.getByRole('searchbox', { name: 'Team' });
  }

  async open(query = '') {
    await this.page.goto(`/secrets${query}`);
    await expect(this.table).toBeVisible();
  }

  row(name: string): Locator {
    return this.table.getByRole('row').filter({ has: this.page.getByRole('link', { name, exact: true }) });
  }

  secretLinks(): Locator {
    return this.table.getByRole('link');
  }

  async filterByStatus(label: string) {
    await openDropdown(this.page.getByRole('button', { name: /Rotation status/ }));
    await this.page.getByRole('option', { name: label, exact: true }).click();
  }

  /** Refresh: the console reads the page in view again from AWS; the rows then show what it read. */
  async refresh() {
    await this.page.getByRole('button', { name: 'Refresh', exact: true }).click();
  }

  /** The header's line saying how fresh the page is ("Updated 2 minutes ago"). */
  freshness(): Locator {
    return this.page.getByText(/^(Updated|Indexing)/);
  }

  async nextPage() {
    await this.page.getByRole('button', { name: 'Next page' }).click();
  }

  async previousPage() {
    await this.page.getByRole('button', { name: 'Previous page' }).click();
  }
}

/** One secret's page: its details, then the Rotation (with the operations), Versions, Timeline and Tags tabs. */
export class SecretPage {
  readonly page: Page;
  readonly versions: Locator;
  readonly events: Locator;
  readonly operations: Locator;
  constructor(page: Page) {
    this.page = page;
    this.versions = page.getByRole('table', { name: 'Versions' });
    this.events = page.getByRole('table', { name: 'Events' });
    this.operations = page.getByRole('list', { name: 'Operations' });
  }

  async open(name: string) {
    await this.page.goto(`/secrets/${encodeURIComponent(name)}`);
    await expect(this.page.getByRole('heading', { name, level: 1 })).toBeVisible();
  }

  async showTab(label: 'Rotation' | 'Versions' | 'Timeline' | 'Tags') {
    await this.page.getByRole('tab', { name: label }).click();
  }

  /** An operation's button in the Operations list of the Rotation tab. */
  operation(label: string): Locator {
    return this.operations.getByRole('button', { name: label, exact: true });
  }

  /** The Operations list's item of an operation: its button and the sentence beside it. */
  operationItem(label: string): Locator {
    // The inner locator is looked for inside each item.
    return this.operations.getByRole('listitem').filter({ has: this.page.getByRole('button', { name: label, exact: true }) });
  }

  versionRowWithLabel(label: string): Locator {
    return this.versions.getByRole('row').filter({ hasText: label });
  }
}
