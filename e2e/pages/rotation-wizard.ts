import { expect, type Locator, type Page } from '@playwright/test';
import { openDropdown } from './dropdown.ts';

/** The "Edit rotation" wizard, step by step, as an operator clicks through it. */
export class RotationWizard {
  readonly page: Page;
  constructor(page: Page) {
    this.page = page;
  }

  async open(secretName: string) {
    await this.page.goto(`/secrets/${encodeURIComponent(secretName)}`);
    await this.page.getByRole('button', { name: 'Edit rotation' }).click();
    await expect(this.page.getByRole('heading', { name: 'Configure automatic rotation', level: 1 })).toBeVisible();
  }

  async next() {
    await this.page.getByRole('button', { name: 'Next', exact: true }).click();
  }

  // Step 1
  /** "Enable automatic rotation": unticked on a secret without rotation, as on the console's page; ticking it enables the rest. */
  enableToggle(): Locator {
    return this.page.getByLabel('Enable automatic rotation');
  }

  async enableAutomaticRotation() {
    await this.enableToggle().check();
  }

  /** Turns automatic rotation on (the operator's first click on a secret without rotation), then picks the interval. */
  async interval(label: '30 days' | '60 days' | '90 days' | 'Custom', customDays?: number) {
    await this.enableAutomaticRotation();
    await this.page.getByRole('radio', { name: label, exact: true }).check();
    if (customDays !== undefined) await this.page.getByLabel('Custom interval in days').fill(String(customDays));
  }

  async scheduleExpression(expression: string, duration?: string) {
    await this.enableAutomaticRotation();
    const field = this.page.getByLabel('Schedule expression');
    if (!(await field.isVisible())) await this.page.getByText('Advanced schedule').click();
    await field.fill(expression);
    if (duration) await this.page.getByLabel('Window duration').fill(duration);
  }

  windows(): Locator {
    return this.page.getByRole('list', { name: 'Next rotation windows' }).getByRole('listitem');
  }

  // Step 2
  async newFunction(name: string, credentials: 'Use this secret' | 'Use a secret that I have previously stored in AWS Secrets Manager') {
    await expect(this.page.getByRole('heading', { name: 'Rotation function', level: 1 })).toBeVisible();
    await this.page.getByRole('radio', { name: 'Create a new Lambda function to perform rotation' }).check();
    await this.page.getByLabel('Lambda function name').fill(name);
    await this.page.getByRole('radio', { name: credentials }).check();
  }

  async existingFunction(name: string, strategy: 'Single-user rotation' | 'Multi-user rotation') {
    await expect(this.page.getByRole('heading', { name: 'Rotation function', level: 1 })).toBeVisible();
    await this.page.getByRole('radio', { name: 'Use an existing Lambda function to perform rotation' }).check();
    await this.choose(/^Lambda rotation function/, name, { filter: 'Find a function' });
    await this.page.getByRole('radio', { name: strategy }).check();
  }

  async masterSecret(name: string) {
    await this.choose(/^Master secret/, name, { filter: 'Find a secret by name', serverFiltered: true });
  }

  /** The options of the "Master secret" Select, opened (Escape closes it). */
  async masterSecretOptions(): Promise<Locator> {
    await this.page.getByRole('button', { name: /^Master secret/ }).click();
    return this.page.getByRole('option');
  }

  async vpc(label: string | RegExp) {
    await this.choose(/^VPC/, label);
  }

  async subnets(names: string[]) {
    await this.chooseMany(/^Subnets/, names);
  }

  async securityGroups(names: string[]) {
    await this.chooseMany(/^Security groups/, names);
  }

  /**
   * Opens a Cloudscape Multiselect by its label and picks each option, waiting for each to show as
   * selected before the next: the selection is the page's state, and a click that lands before the
   * page has drawn the previous one would start again from the old selection.
   */
  async chooseMany(label: RegExp, options: string[]) {
    await openDropdown(this.page.getByRole('button', { name: label }));
    for (const name of options) {
      const option = this.page.getByRole('option', { name: new RegExp(name) });
      await option.click();
      await expect(option).toHaveAttribute('aria-selected', 'true');
    }
    await this.page.keyboard.press('Escape');
  }

  endpointCheckbox(): Locator {
    return this.page.getByRole('checkbox', { name: /Create a Secrets Manager interface endpoint/ });
  }

  /**
   * Opens a Cloudscape Select by its label and picks the option, then waits for the Select to show
   * it: on a busy machine a click could land on an option list that was still being redrawn, and
   * the wizard went on with nothing chosen.
   */
  async choose(label: RegExp, option: string | RegExp, { filter, serverFiltered = false }: { filter?: string; serverFiltered?: boolean } = {}) {
    const select = this.page.getByRole('button', { name: label });
    await openDropdown(select);
    // Narrowed to the one option first where the Select filters: specs running beside this one add
    // functions and secrets, and a list redrawn with a new one between finding the option and the
    // click put another one under the click (seen on LocalStack, and for the master secret on moto).
    if (filter && typeof option === 'string') {
      // A list the server filters (the master secrets) is narrowed in the browser at once, then
      // drawn again when the server's answer for the name comes: the click waits for that answer
      // to be drawn, or the list could be redrawn under it (seen: the option highlighted, not chosen).
      const answered = serverFiltered ? this.page.waitForResponse((response) => new URL(response.url()).searchParams.get('name') === option) : null;
      await this.page.getByLabel(filter).fill(option);
      if (answered) {
        await answered;
        await expect(this.page.getByRole('option')).toHaveCount(1);
        // The master secret picker's loading status (master-secret-field.tsx), gone once the answer is drawn.
        await expect(this.page.getByText('Loading secrets', { exact: true })).toHaveCount(0);
      }
    }
    await this.page.getByRole('option', { name: option }).first().click();
    await expect(select).toContainText(option);
  }

  // Step 3
  /** The check step's "How to fix" for `secretName`: the fields to fix and the put-secret-value command. */
  fixFor(secretName: string) {
    return {
      fields: this.page.getByRole('list', { name: `Fields to fix in ${secretName}` }),
      command: this.page.getByLabel(`Command to fix ${secretName}`),
    };
  }

  async expectCheckPasses() {
    await expect(this.page.getByRole('heading', { name: 'Check secret', level: 1 })).toBeVisible();
    const fields = this.page.getByRole('table', { name: 'Secret fields', exact: true });
    await expect(fields).toBeVisible();
    await expect(fields.getByText(/^(Missing|Invalid)$/)).toHaveCount(0);
  }

  // Step 4
  /** Waits for the review's plan. */
  async expectPlan() {
    await expect(this.page.getByRole('heading', { name: 'Review and save', level: 1 })).toBeVisible();
    // The first plan of a fresh console builds the rotation function's code (esbuild), which on
    // a loaded machine takes longer than the default wait.
    await expect(this.page.getByRole('table', { name: 'Plan steps' })).toBeVisible({ timeout: 30_000 });
  }

  async acknowledgeAndSave() {
    await this.expectPlan();
    const save = this.page.getByRole('button', { name: 'Save', exact: true });
    await expect(save).toBeDisabled();
    await this.page.getByRole('checkbox', { name: /I understand that the secret rotates immediately/ }).check();
    // A function that also rotates other secrets: the review lists them (drawn with the plan), and Save waits for the operator's word.
    const shared = this.page.getByRole('checkbox', { name: /I understand that Save changes/ });
    if (await shared.isVisible()) await shared.check();
    await save.click();
  }

  async expectOutcome(text: RegExp) {
    await expect(this.page.getByText(text).first()).toBeVisible({ timeout: 45_000 });
  }
}
