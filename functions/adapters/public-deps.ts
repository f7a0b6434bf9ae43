/**
 * The adapters of the internet-facing functions (tracking: the open pixel,
 * click redirects, unsubscribe; web: the web version, the privacy page):
 * the signing secret, the reads of a campaign, a recipient and a compiled
 * letter, the recipient's choices, test letters and the events queue. Built
 * like deps() from the same environment and the same replacements
 * (deps-overrides.ts), but importing none of the other adapters and SDK
 * clients, so these functions load in a fraction of the time. A route added
 * to those functions takes what it needs from here, or loads deps() lazily.
 */
import { CampaignCache, type CampaignReader } from '../core/campaign-cache.js';
import { systemClock } from './clock.js';
import { type Config, loadConfig } from './config.js';
import { DynamoCampaignReader } from './dynamo-campaign-reader.js';
import { DynamoChoiceStore } from './dynamo-choices.js';
import { dynamoClient } from './dynamo-items.js';
import { DynamoTestLetters } from './dynamo-test-letters.js';
import type { Deps } from './deps.js';
import { currentOverrides } from './deps-overrides.js';
import { keyProviders } from './secret.js';
import { eventsQueueFrom } from './sqs-events.js';

export interface PublicDeps extends Pick<
  Deps,
  | 'config'
  | 'clock'
  | 'secret'
  | 'keys'
  | 'campaigns'
  | 'choices'
  | 'trackingEvents'
  | 'testLetters'
> {
  store: CampaignReader;
}

let current: { deps: PublicDeps; overrides: Partial<Deps> } | undefined;

export function publicDeps(): PublicDeps {
  const overrides = currentOverrides();
  if (current?.overrides !== overrides)
    current = { deps: build(loadConfig(), overrides), overrides };
  return current.deps;
}

function build(config: Config, o: Partial<Deps>): PublicDeps {
  const db = dynamoClient({ region: config.region, endpoint: config.dynamoEndpoint });
  const store: CampaignReader = o.store ?? new DynamoCampaignReader(db, config.table);
  return {
    config,
    clock: o.clock ?? systemClock,
    ...keyProviders(o),
    store,
    campaigns: o.campaigns ?? new CampaignCache(store),
    choices: o.choices ?? new DynamoChoiceStore(db, config.table),
    trackingEvents: o.trackingEvents ?? eventsQueueFrom(config),
    testLetters: o.testLetters ?? new DynamoTestLetters(db, config.table),
  };
}
