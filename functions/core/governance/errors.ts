/**
 * Governance errors. The API maps their codes to statuses (api/errors.ts):
 * APPROVAL_REQUIRED 409 (the campaign's state does not allow it yet),
 * APPROVAL_BY_AUTHOR 403 (this person may not do it).
 */
import { DemarcheError } from '../errors.js';

/** Launching or scheduling a version no second campaigner has approved. */
export class ApprovalRequiredError extends DemarcheError {
  constructor(campaignId: string, hash: string, message: string) {
    super('APPROVAL_REQUIRED', message, { campaignId, versionHash: hash });
  }
}

/** The author of a version tried to approve it while two-person approval is on. */
export class SelfApprovalError extends DemarcheError {
  constructor(campaignId: string, hash: string, actor: string) {
    super(
      'APPROVAL_BY_AUTHOR',
      `${actor} wrote version ${hash.slice(0, 12)} of campaign ${campaignId} and cannot approve it: two-person approval needs another campaigner`,
      { campaignId, versionHash: hash, actor },
    );
  }
}

/** The approval names a version that is no longer the campaign's current one. */
export class StaleVersionError extends DemarcheError {
  constructor(campaignId: string, asked: string, current: string) {
    super(
      'VERSION_STALE',
      `campaign ${campaignId} changed: version ${asked.slice(0, 12)} is not the current one (${current.slice(0, 12)}); review and approve the current version`,
      { campaignId, versionHash: asked, currentHash: current },
    );
  }
}
