/**
 * Staff search over a campaign's recipients, by name, organisation or
 * address, without reading their items. Each recipient is written with
 *
 * - `find` on its own item: its search words (core/recipients/search-words.ts)
 *   as " word word …", so one FilterExpression `contains(find, " mül")`
 *   tests "a word starts with" for counts and filtered reads, and `findPage`:
 *   the group of recipients it was written with;
 * - its words in the group's search pages, CAMPAIGN#<id> / FIND#<c>#<group>:
 *   for each first letter c, one item mapping recipient id → that
 *   recipient's words starting with c, for a group of at most GROUP_SIZE
 *   recipients written together. A search reads the pages of its longest
 *   word's first letter in order (a 100,000-recipient campaign has 500 such
 *   pages of well under 1 KB for a letter), matches in memory, then reads
 *   the few recipients that match and checks all their words.
 *
 * Why pages and not an index entry per word: an entry per word multiplied
 * the items an import writes by the number of words (eleven for a minister's
 * office): eleven write units per recipient, and a 100,000-recipient import
 * five times slower. A group's pages cost about one write unit per eight
 * recipients.
 *
 * A recipient written again (an import retried) is in a newer group too: the
 * search counts an entry only in the group its item names, and erasure
 * removes the recipient's words from every page that has them. Pages expire
 * with the recipients and are deleted with a discarded campaign's partition.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { randomBytes } from 'node:crypto';
import type { Recipient } from '../core/recipients.js';
import { searchWords } from '../core/recipients/search-words.js';
import { keys, TABLE } from './table-definition.js';

type Item = Record<string, unknown>;
type Searchable = Pick<Recipient, 'id' | 'name' | 'organisation' | 'email'>;

export const FIND_PREFIX = 'FIND#';

/**
 * Recipients per group. One recipient's words are at most 16 × 32
 * characters (3 bytes each in the widest scripts): even if all of a group's
 * words began with one letter, its page stays below DynamoDB's 400 KB.
 */
export const GROUP_SIZE = 200;

/** The first letter of a folded search word: the page a word is kept in. */
export function pageLetter(word: string): string {
  return String.fromCodePoint(word.codePointAt(0)!);
}

/** The `find` attribute of a recipient's item. */
export function findAttribute(r: Pick<Recipient, 'name' | 'organisation' | 'email'>): string {
  return ` ${searchWords(r).join(' ')}`;
}

/** The words a stored recipient item was indexed under (its `find` attribute). */
export function storedWords(item: { find?: unknown }): string[] {
  return typeof item.find === 'string' ? item.find.split(' ').filter(Boolean) : [];
}

/** A group key that sorts in writing order: pages are searched in the order lists were imported. */
function groupKey(now: number, seq: number): string {
  const time = now.toString(36).padStart(10, '0');
  return `${time}${seq.toString(36).padStart(4, '0')}${randomBytes(5).toString('hex')}`;
}

export interface SearchIndex {
  /** The page items, to be written before the recipients. */
  pages: Item[];
  /** The search fields of a recipient's own item. */
  fields(rid: string): { find: string; findPage: string };
}

/** The search pages of recipients written together, expiring with them. */
export function searchIndex(
  campaignId: string,
  recipients: readonly Searchable[],
  expiresAt?: number,
  now = Date.now(),
): SearchIndex {
  const pk = keys.campaign(campaignId).pk;
  const pages: Item[] = [];
  const fieldsOf = new Map<string, { find: string; findPage: string }>();
  for (let i = 0; i < recipients.length; i += GROUP_SIZE) {
    const group = groupKey(now, i / GROUP_SIZE);
    const byLetter = new Map<string, Record<string, string>>();
    for (const r of recipients.slice(i, i + GROUP_SIZE)) {
      const words = searchWords(r);
      fieldsOf.set(r.id, { find: ` ${words.join(' ')}`, findPage: group });
      for (const w of words) {
        const letter = pageLetter(w);
        const page = byLetter.get(letter) ?? {};
        page[r.id] = page[r.id] ? `${page[r.id]} ${w}` : w;
        byLetter.set(letter, page);
      }
    }
    for (const [letter, words] of byLetter)
      pages.push({
        pk,
        sk: `${FIND_PREFIX}${letter}#${group}`,
        type: 'find-page',
        group,
        words,
        ...(expiresAt ? { [TABLE.ttlAttribute]: expiresAt } : {}),
      });
  }
  return {
    pages,
    fields(rid) {
      const f = fieldsOf.get(rid);
      if (!f) throw new Error(`recipient ${rid} is not in this search index`);
      return f;
    },
  };
}

/** One recipient's entry in a search page. */
export interface PageEntry {
  /** The page's key. */
  page: string;
  /** The group the page belongs to (what the recipient's `findPage` names). */
  group: string;
  rid: string;
  words: string[];
}

/**
 * The entries of the campaign's search pages of `letter` in order, from the
 * page `fromPage` (inclusive), `pages` pages at most. `more` when pages remain.
 */
export async function readPages(
  db: DynamoDBDocumentClient,
  table: string,
  campaignId: string,
  letter: string,
  fromPage: string | undefined,
  pages: number,
): Promise<{ entries: PageEntry[]; lastPage?: string; more: boolean }> {
  const prefix = `${FIND_PREFIX}${letter}#`;
  const out = await db.send(
    new QueryCommand({
      TableName: table,
      // A key range rather than begins_with: the same items, and DynamoDB Local (SQLite) serves
      // a range from its index where begins_with reads the whole partition.
      KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':p': keys.campaign(campaignId).pk,
        ':lo': fromPage && fromPage > prefix ? fromPage : prefix,
        ':hi': `${prefix}\uffff`,
      },
      ExpressionAttributeNames: { '#g': 'group' },
      ProjectionExpression: 'sk, #g, words',
      Limit: pages,
    }),
  );
  const entries: PageEntry[] = [];
  let lastPage: string | undefined;
  for (const item of out.Items ?? []) {
    lastPage = String(item.sk);
    const group = String(item.group);
    const words = (item.words ?? {}) as Record<string, unknown>;
    // Ids in a stable order, so a cursor "after this id in this page" means one thing.
    for (const rid of Object.keys(words).sort())
      entries.push({ page: lastPage, group, rid, words: storedWords({ find: words[rid] }) });
  }
  return { entries, ...(lastPage ? { lastPage } : {}), more: out.LastEvaluatedKey !== undefined };
}

/**
 * Removes a recipient's words from every search page of the campaign that
 * holds them (an erased person's name must not stay searchable). Each
 * removal is one atomic UpdateItem, so two erasures never undo each other.
 */
export async function dropFromPages(
  db: DynamoDBDocumentClient,
  table: string,
  campaignId: string,
  rid: string,
): Promise<number> {
  const pk = keys.campaign(campaignId).pk;
  const holding: string[] = [];
  let start: Item | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :p AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':p': pk, ':lo': FIND_PREFIX, ':hi': `${FIND_PREFIX}\uffff` },
        ExpressionAttributeNames: { '#w': 'words', '#r': rid },
        ProjectionExpression: 'sk, #w.#r',
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      const words = item.words as Record<string, unknown> | undefined;
      if (words && rid in words) holding.push(String(item.sk));
    }
    start = out.LastEvaluatedKey;
  } while (start);
  for (const sk of holding) {
    try {
      await db.send(
        new UpdateCommand({
          TableName: table,
          Key: { pk, sk },
          UpdateExpression: 'REMOVE #w.#r',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#w': 'words', '#r': rid },
        }),
      );
    } catch (err) {
      // A page gone meanwhile (expired, or its campaign discarded) holds nothing any more.
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }
  return holding.length;
}

/** The recipient items of `rids`, in the order asked (missing ones left out). */
export async function recipientsByIds(
  db: DynamoDBDocumentClient,
  table: string,
  campaignId: string,
  rids: string[],
): Promise<Item[]> {
  const found = new Map<string, Item>();
  for (let i = 0; i < rids.length; i += 100) {
    let wanted: Item[] = [...new Set(rids.slice(i, i + 100))].map((rid) =>
      keys.recipient(campaignId, rid),
    );
    for (let attempt = 0; wanted.length; attempt++) {
      const out = await db.send(
        new BatchGetCommand({ RequestItems: { [table]: { Keys: wanted } } }),
      );
      for (const item of out.Responses?.[table] ?? []) found.set(String(item.id), item);
      wanted = (out.UnprocessedKeys?.[table]?.Keys ?? []) as Item[];
      if (wanted.length && attempt > 8) throw new Error('DynamoDB kept recipients unprocessed');
    }
  }
  return rids.map((r) => found.get(r)).filter((x): x is Item => x !== undefined);
}
