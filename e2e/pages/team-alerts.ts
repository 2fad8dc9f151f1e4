import { expect, type Locator, type Page } from '@playwright/test';

/** The Alerts section of the team portal: channels, "Add channel", "Send a test alert", the delivery log. */
export class TeamAlerts {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  channels(): Locator {
    return this.page.getByRole('table', { name: 'Alert channels' });
  }

  deliveries(): Locator {
    return this.page.getByRole('table', { name: 'Delivery log' });
  }

  /** Adds a webhook channel and returns its signing secret (shown once). */
  async addWebhook(name: string, url: string): Promise<string> {
    await this.page.getByRole('button', { name: 'Add channel' }).click();
    const dialog = this.page.getByRole('dialog');
    await dialog.getByRole('radio', { name: /^Webhook/ }).check();
    await dialog.getByLabel('Name').fill(name);
    await dialog.getByLabel('URL').fill(url);
    await dialog.getByRole('button', { name: 'Add channel' }).click();
    const secret = dialog.getByTestId('signing-secret');
    await expect(secret).toBeVisible();
    const value = (await secret.textContent())!.trim();
    await dialog.getByRole('button', { name: 'Done' }).click();
    return value;
  }

  async sendTest(channelName: string) {
    await this.channels().getByRole('radio', { name: channelName }).check();
    await this.page.getByRole('button', { name: 'Send a test alert' }).click();
    await expect(this.page.getByText(/Test alert queued/)).toBeVisible();
  }
}
