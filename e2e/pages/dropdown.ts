import type { Locator } from '@playwright/test';

/**
 * Opens a Cloudscape Select or Multiselect with its trigger in the middle of the view. For half a
 * second after it opens, a dropdown places itself again on every scroll of the window; a click on
 * an option that first scrolled the window into view could see the list move between its mouse
 * down and its mouse up (Playwright checks only the first event's target), which left the option
 * highlighted but not chosen (seen on a busy machine). With the trigger centred the list fits in
 * the view (it scrolls inside itself when long), so no option click scrolls the window.
 */
export async function openDropdown(trigger: Locator) {
  await trigger.evaluate((element) => element.scrollIntoView({ block: 'center' }));
  await trigger.click();
}
