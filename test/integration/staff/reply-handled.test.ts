/**
 * The replies inbox's own state: the first reader of a reply is kept, a
 * campaigner marks it handled (or back to handle) through the API, the audit
 * log names the verified token subject who did it, the list filters by it,
 * and the list shows the person from the recipients list.
 */
import { describe, expect, it } from 'vitest';
import { useRuntime } from '../../support/runtime.js';
import { replyOverSmtp, sentCampaign, staffToken } from '../../support/staff.js';

const runtime = useRuntime();

async function call(method: string, path: string, token: string, body?: unknown) {
  const res = await fetch(`${runtime().httpUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe('handling replies', () => {
  it('keeps who read and who handled a reply, audits it under the token subject, and filters by it', async () => {
    const csv =
      'email,name,title,organisation,country,group\nkraus@bmeia.example.org,Olga Kraus,Director for Eastern Europe,Federal Ministry for European and International Affairs,AT,minister\n';
    const campaign = await sentCampaign(runtime(), csv);
    const reply = await replyOverSmtp(runtime(), campaign.id, 'kraus@bmeia.example.org', {
      subject: 'Re: Belarus',
      text: 'Dear colleagues,\nthe Minister has read your statement and will raise it on Monday.\n\nOn Monday you wrote:\n> We are dismayed',
    });
    const viewer = await staffToken(['viewer'], 'vera');
    const campaigner = await staffToken(['campaigner'], 'carla');
    const base = `/api/campaigns/${campaign.id}/replies`;

    const list = await call('GET', `${base}?handled=false`, viewer);
    expect(list.json.items).toEqual([
      expect.objectContaining({
        id: reply.id,
        person: {
          name: 'Olga Kraus',
          title: 'Director for Eastern Europe',
          organisation: 'Federal Ministry for European and International Affairs',
          country: 'AT',
          group: 'minister',
        },
        excerpt: expect.stringMatching(/^Dear colleagues,\nthe Minister has read/),
        attachments: [],
      }),
    ]);
    // The first reader is kept; a second reader does not replace them.
    expect((await call('GET', `${base}/${reply.id}`, viewer)).json.readBy).toBe(
      'vera@example.org (vera)',
    );
    await call('GET', `${base}/${reply.id}`, campaigner);
    expect((await call('GET', `${base}/${reply.id}`, campaigner)).json.readBy).toBe(
      'vera@example.org (vera)',
    );

    // A viewer may not mark it handled; a campaigner may, once.
    expect(
      (await call('POST', `${base}/${reply.id}/handled`, viewer, { handled: true })).status,
    ).toBe(403);
    const bad = await call('POST', `${base}/${reply.id}/handled`, campaigner, { handled: 'yes' });
    expect(bad.status).toBe(400);
    const done = await call('POST', `${base}/${reply.id}/handled`, campaigner, { handled: true });
    expect(done.json).toMatchObject({ changed: true, handledBy: 'carla@example.org (carla)' });
    const again = await call('POST', `${base}/${reply.id}/handled`, campaigner, { handled: true });
    expect(again.json.changed).toBe(false);
    expect((await call('GET', `${base}?handled=false`, viewer)).json.items).toEqual([]);
    expect((await call('GET', `${base}?handled=true`, viewer)).json.items).toEqual([
      expect.objectContaining({ id: reply.id, handledBy: 'carla@example.org (carla)' }),
    ]);
    const undo = await call('POST', `${base}/${reply.id}/handled`, campaigner, { handled: false });
    expect(undo.json.changed).toBe(true);

    const audit = await call('GET', `/api/campaigns/${campaign.id}/audit`, viewer);
    const handled = (
      audit.json.items as { action: string; actor: string; detail?: string }[]
    ).filter((e) => e.action === 'handled-reply');
    expect(handled).toHaveLength(2);
    expect(handled.every((e) => e.actor === 'carla')).toBe(true);
    expect(handled.map((e) => e.detail).sort()).toEqual([
      `reply ${reply.id} from kraus@bmeia.example.org marked handled`,
      `reply ${reply.id} from kraus@bmeia.example.org marked to handle again`,
    ]);
  });
});
