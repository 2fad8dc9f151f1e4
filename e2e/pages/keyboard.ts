import { expect, type Locator, type Page } from '@playwright/test';

/** True when the page's focus is on `target` or inside it. */
const hasFocus = (target: Locator) => target.evaluate((el) => el === document.activeElement || el.contains(document.activeElement));

/**
 * Moves the focus with Tab (or Shift+Tab) until it reaches `target`, as a keyboard user does, and
 * fails when it never gets there: an element Tab cannot reach is one a keyboard user cannot use.
 */
export const tabTo = async (page: Page, target: Locator, { backwards = false, maxPresses = 60 } = {}) => {
  await expect(target).toBeVisible();
  for (let i = 0; i < maxPresses; i++) {
    if (await hasFocus(target)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  expect(await hasFocus(target), `Tab never reached ${target.toString()}`).toBe(true);
};

/** The text of the option a focused listbox (or its combobox) has highlighted, from aria-activedescendant. */
const highlightedOption = (page: Page) =>
  page.evaluate(() => {
    const focused = document.activeElement;
    const id = focused?.getAttribute('aria-activedescendant');
    return id ? (document.getElementById(id)?.textContent ?? '') : '';
  });

/** Opens a Select from the keyboard (focus on its trigger), moves with ArrowDown to the option and picks it with Enter. */
export const chooseWithKeys = async (page: Page, trigger: Locator, option: RegExp, maxPresses = 30) => {
  await tabTo(page, trigger);
  await page.keyboard.press('Enter');
  for (let i = 0; i < maxPresses; i++) {
    await page.keyboard.press('ArrowDown');
    if (option.test(await highlightedOption(page))) {
      await page.keyboard.press('Enter');
      await expect(trigger).toContainText(option);
      return;
    }
  }
  throw new Error(`ArrowDown never reached an option matching ${option}`);
};
