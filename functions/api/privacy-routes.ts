/**
 * POST /api/privacy/forget {email, suppress?}: erases one person's personal
 * data from every campaign (core/governance/privacy.ts), campaigner only.
 * The answer names the campaigns and what was erased, never the address.
 */
import { z } from 'zod';
import { privacyStoreFor } from '../adapters/dynamo-privacy.js';
import { forgetPerson } from '../core/governance/privacy.js';
import { json } from './errors.js';
import { actorOf } from './governance-routes.js';
import { jsonBody } from './request.js';
import type { ApiRoute } from './router.js';

const forgetBody = z.strictObject({
  email: z.email('is not an email address').max(320),
  suppress: z.boolean().default(false),
});

export const privacyRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/privacy/forget',
    role: 'campaigner',
    run: async (ctx) => {
      const body = jsonBody(ctx.event, forgetBody);
      const result = await forgetPerson(
        { ...ctx.deps, privacy: privacyStoreFor(ctx.deps.config) },
        body.email,
        { actor: actorOf(ctx.staff), suppress: body.suppress },
      );
      return json(200, result);
    },
  },
];
