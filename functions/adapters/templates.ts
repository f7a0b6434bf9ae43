import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The folder of MJML templates: templates/ of the repository, or DEMARCHE_TEMPLATES_DIR. */
export function templatesDir(): string {
  return (
    process.env.DEMARCHE_TEMPLATES_DIR ??
    fileURLToPath(new URL('../../templates/', import.meta.url))
  );
}

const cache = new Map<string, string>();

/** Reads a template once per process. */
export function readTemplate(name = 'letter.mjml'): string {
  let t = cache.get(name);
  if (t === undefined) {
    t = readFileSync(`${templatesDir()}/${name}`, 'utf8');
    cache.set(name, t);
  }
  return t;
}
