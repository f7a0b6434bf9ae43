/**
 * The emulated-AWS mode needs moto_server, a Python program npm cannot
 * install: without it, starting fails at once with an error that names the
 * program and how to install it.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../functions/core/errors.js';
import { startMoto } from '../../../functions/local/moto.js';

describe('startMoto', () => {
  it('names moto_server and the pip line when the program is missing', async () => {
    const start = startMoto({ program: 'moto_server-not-installed-here' });
    await expect(start).rejects.toBeInstanceOf(ConfigError);
    await expect(start).rejects.toThrow(/`moto_server` was not found on PATH/);
    await expect(start).rejects.toThrow(/pip install "moto\[server\]"/);
  });
});
