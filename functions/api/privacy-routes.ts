/**
 * Erasing a person, campaigner only. `POST /api/privacy/forget {email,
 * suppress?}` records the request and hands it to the launch function (202
 * with the job); `GET /api/privacy/forget/:jobId` shows its progress and, at
 * the end, its report (core/governance/forget-job.ts). Neither answer ever
 * holds the address.
 */
import { z } from 'zod';
import { forgetDeps } from '../adapters/dynamo-forget.js';
import { NotFoundError } from '../core/errors.js';
import { beginForget, FORGET_JOB_ID, publicJob } from '../core/governance/forget-job.js';
import { json } from './errors.js';
import { actorOf } from './governance-routes.js';
import { jsonBody, validate } from './request.js';
import type { ApiRoute } from './router.js';

const forgetBody = z.strictObject({
  email: z.email('is not an email address').max(320),
  suppress: z.boolean().default(false),
});

const jobId = z.string().regex(FORGET_JOB_ID, 'is not an erasure job id');

export const privacyRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/api/privacy/forget',
    role: 'campaigner',
    run: async (ctx) => {
      const body = jsonBody(ctx.event, forgetBody);
      const job = await beginForget(forgetDeps(ctx.deps), body.email, {
        actor: actorOf(ctx.staff),
        suppress: body.suppress,
      });
      return json(202, { job: publicJob(job) });
    },
  },
  {
    method: 'GET',
    path: '/api/privacy/forget/:jobId',
    role: 'campaigner',
    run: async (ctx) => {
      const id = validate(jobId, ctx.params.jobId, 'path');
      const job = await forgetDeps(ctx.deps).forgetJobs.get(id);
      if (!job) throw new NotFoundError('erasure job', id);
      return json(200, { job: publicJob(job) });
    },
  },
];
