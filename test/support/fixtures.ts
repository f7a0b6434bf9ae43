import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const repoPath = (p: string) => fileURLToPath(new URL(`../../${p}`, import.meta.url));
export const sharedSample = () =>
  readFileSync(repoPath('../shared/samples/statement-belarus-2020.txt'), 'utf8');
export const exampleStatement = () => readFileSync(repoPath('examples/statement.md'), 'utf8');
export const exampleRecipients = () => readFileSync(repoPath('examples/recipients.csv'), 'utf8');
export const letterMjml = () => readFileSync(repoPath('templates/letter.mjml'), 'utf8');

/** A CSV of `n` ministers with distinct, personal rows (diacritics included). */
export function ministersCsv(n: number): string {
  const first = [
    'Anna',
    'Jean',
    'Maria',
    'Jan',
    'Éva',
    'Peter',
    'Lucía',
    'Mikael',
    'Sofía',
    'Tomás',
  ];
  const rows = ['email,name,title,organisation,country,language,group,salutation'];
  for (let i = 0; i < n; i++) {
    const country = ['FR', 'DE', 'PL', 'ES', 'SE', 'IT'][i % 6]!;
    rows.push(
      `office${i}@mfa-${country.toLowerCase()}.example.org,${first[i % 10]} Berg${i},Minister,Ministry of Foreign Affairs ${i},${country},en,minister,`,
    );
  }
  return rows.join('\n') + '\n';
}

export const FUTURE_DEADLINE = () => new Date(Date.now() + 7 * 86_400_000).toISOString();
