import { screen, within } from '@testing-library/react';

/** The table of secrets on the dashboard and on the Secrets list, once it shows. */
export const secretsTable = () => screen.findByRole('table', { name: 'Secrets' });

/** The row of the secret `name` in that table, once it shows. */
export const rowOf = async (name: string) => {
  const link = await within(await secretsTable()).findByRole('link', { name });
  const row = link.closest('tr');
  if (!row) throw new Error(`no row for ${name}`);
  return row;
};
