/**
 * cdk-nag acknowledgements in one shape: every finding we accept carries a
 * written reason next to the resource it is about (cdk-nag v3 uses CDK's own
 * Validations.acknowledge; IAM5 findings are acknowledged one by one).
 */
import { Token, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The cdk-nag pack every acknowledgement belongs to. */
export const NAG_PACK = 'AwsSolutions';

export interface Acknowledgement {
  /** The rule, or one finding of it: `AwsSolutions-IAM5[Resource::*]`. */
  id: string;
  reason: string;
}

/** Records that a cdk-nag finding on `scope` is accepted, and why. */
export function acknowledge(scope: IConstruct, ...acks: Acknowledgement[]): void {
  for (const a of acks) {
    if (a.reason.trim().length < 20) {
      throw new Error(`cdk-nag acknowledgement ${a.id} needs a written reason`);
    }
    // The plugin namespace is required: an unqualified id silently drops the
    // whole AwsSolutions report (cdk-nag 3.0.2 with aws-cdk-lib 2.276).
    const id = a.id.startsWith(`${NAG_PACK}::`) ? a.id : `${NAG_PACK}::${a.id}`;
    Validations.of(scope).acknowledge({ id, reason: a.reason });
  }
}

/** How cdk-nag writes a stack value in a finding id: the literal, or `<AWS::Region>` for a token. */
export function nagValue(value: string, pseudo: string): string {
  return Token.isUnresolved(value) ? `<${pseudo}>` : value;
}
