/**
 * The deployment's signing keys, campaigner only. `GET /api/keys` shows the
 * ring (ids and dates, never a secret) and its audit log; `POST
 * /api/keys/rotate` makes a new current key, keeping the old one as a
 * previous key; `POST /api/keys/:keyId/retire {force?}` removes a previous
 * key, after which its links and reply addresses are refused (refused while a
 * campaign sent with it still has live links, unless forced). Who did it is the verified
 * caller, recorded in the keys' own audit log.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { retentionDaysFromEnv } from '../adapters/retention-env.js';
import { KEY_ID, summariseKeyRing } from '../core/key-ring.js';
import { KEY_AUDIT_ID, retireKeys, rotateKeys } from '../core/key-rotation.js';
import { json } from './errors.js';
import { actorOf } from './governance-routes.js';
import { jsonBody, validate } from './request.js';
import type { ApiRoute, RouteContext } from './router.js';

const keyId = z.string().regex(KEY_ID, 'is not a key id (k0, k1, …)');

const rotation = (ctx: RouteContext) => ({
  keyStore: ctx.deps.keyStore,
  clock: ctx.deps.clock,
  governance: ctx.deps.governance,
  newSecret: () => randomBytes(32).toString('base64url'),
  campaigns: ctx.deps.store,
  retentionDays: retentionDaysFromEnv(),
});

const retireBody = z.strictObject({ force: z.boolean().default(false) });

export const keyRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/api/keys',
    role: 'campaigner',
    run: async (ctx) => {
      const ring = summariseKeyRing(await ctx.deps.keyStore.load());
      const log = await ctx.deps.governance.auditLog(KEY_AUDIT_ID);
      return json(200, { ring, audit: log.items });
    },
  },
  {
    method: 'POST',
    path: '/api/keys/rotate',
    role: 'campaigner',
    run: async (ctx) => json(200, { ring: await rotateKeys(rotation(ctx), actorOf(ctx.staff)) }),
  },
  {
    method: 'POST',
    path: '/api/keys/:keyId/retire',
    role: 'campaigner',
    run: async (ctx) => {
      const id = validate(keyId, ctx.params.keyId, 'path');
      const body = ctx.event.body ? jsonBody(ctx.event, retireBody) : { force: false };
      return json(200, {
        ring: await retireKeys(rotation(ctx), actorOf(ctx.staff), id, body),
      });
    },
  },
];
