/**
 * A small IAM policy evaluator for the DynamoDB requests demarche makes, over
 * the synthesized template: a role's statements (its inline policies), an
 * explicit Deny wins, then any Allow, else the implicit deny. It knows the
 * parts of the policy language the stack uses (Action and Resource with
 * wildcards, and the ForAllValues / ForAnyValue string operators on
 * dynamodb:LeadingKeys) and throws on anything else, so that it never
 * silently judges a policy it does not understand.
 *
 * The semantics are those of the IAM reference: ForAllValues is true when
 * every value of the request's set matches (and for an empty or absent set),
 * ForAnyValue when at least one does (false for an empty set); StringLike
 * matches `*` and `?` wildcards; StringNotLike is true when no pattern matches.
 */

// CloudFormation JSON as synthesized.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Cfn = any;

export interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string[];
  Resource: string[];
  Condition?: Record<string, Record<string, string[]>>;
}

/** One authorisation: an action on a resource (ARN as resolved below), with the request's partition keys. */
export interface Request {
  action: string;
  resource: string;
  /** dynamodb:LeadingKeys: the partition key values the request addresses (empty: none supplied). */
  leadingKeys: string[];
}

/** CloudFormation intrinsics as stable strings: `arn:<logical id>` for Fn::GetAtt …Arn, `ref:<id>` for Ref. */
export function resolve(value: Cfn): string {
  if (typeof value === 'string') return value;
  if (value?.['Fn::GetAtt']) return `arn:${value['Fn::GetAtt'][0]}`;
  if (value?.Ref) return `ref:${value.Ref}`;
  if (value?.['Fn::Join']) {
    const [sep, parts] = value['Fn::Join'] as [string, Cfn[]];
    return parts.map(resolve).join(sep);
  }
  throw new Error(`unsupported intrinsic in a policy: ${JSON.stringify(value)}`);
}

const list = <T>(v: T | T[] | undefined): T[] =>
  v === undefined ? [] : Array.isArray(v) ? v : [v];

/** Every statement of the inline policies attached to a role (by its logical id). */
export function roleStatements(resources: Record<string, Cfn>, roleId: string): Statement[] {
  const out: Statement[] = [];
  for (const r of Object.values(resources)) {
    if (r.Type !== 'AWS::IAM::Policy') continue;
    if (!list(r.Properties.Roles).some((x: Cfn) => x?.Ref === roleId)) continue;
    for (const st of list(r.Properties.PolicyDocument.Statement) as Cfn[]) {
      for (const k of Object.keys(st)) {
        if (!['Effect', 'Action', 'Resource', 'Condition', 'Sid'].includes(k))
          throw new Error(`unsupported policy element ${k} in ${roleId}'s policy`);
      }
      out.push({
        Effect: st.Effect,
        Action: list(st.Action),
        Resource: list(st.Resource).map(resolve),
        ...(st.Condition ? { Condition: st.Condition } : {}),
      });
    }
  }
  if (list(resources[roleId]?.Properties?.ManagedPolicyArns).length)
    throw new Error(`${roleId} has managed policies, which this evaluator does not read`);
  if (list(resources[roleId]?.Properties?.Policies).length)
    throw new Error(`${roleId} has embedded policies, which this evaluator does not read`);
  return out;
}

/** IAM wildcard matching: `*` any run of characters, `?` one character. */
export function like(value: string, pattern: string, caseInsensitive = false): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
    caseInsensitive ? 'i' : '',
  );
  return re.test(value);
}

function operator(name: string): (value: string, patterns: string[]) => boolean {
  switch (name) {
    case 'StringLike':
      return (v, ps) => ps.some((p) => like(v, p));
    case 'StringNotLike':
      return (v, ps) => !ps.some((p) => like(v, p));
    case 'StringEquals':
      return (v, ps) => ps.includes(v);
    case 'StringNotEquals':
      return (v, ps) => !ps.includes(v);
    default:
      throw new Error(`unsupported condition operator ${name}`);
  }
}

function conditionHolds(condition: Statement['Condition'], req: Request): boolean {
  for (const [op, keys] of Object.entries(condition ?? {})) {
    const [qualifier, name] = op.includes(':') ? op.split(':') : [undefined, op];
    const test = operator(name!);
    for (const [key, raw] of Object.entries(keys)) {
      if (key !== 'dynamodb:LeadingKeys')
        throw new Error(`unsupported condition key ${key} (only dynamodb:LeadingKeys)`);
      const patterns = list(raw);
      const values = req.leadingKeys;
      let holds: boolean;
      if (qualifier === 'ForAllValues') holds = values.every((v) => test(v, patterns));
      else if (qualifier === 'ForAnyValue') holds = values.some((v) => test(v, patterns));
      else
        throw new Error(
          `${op} on dynamodb:LeadingKeys: a multivalued key needs ForAllValues or ForAnyValue`,
        );
      if (!holds) return false;
    }
  }
  return true;
}

function applies(st: Statement, req: Request): boolean {
  return (
    st.Action.some((a) => like(req.action, a, true)) &&
    st.Resource.some((r) => like(req.resource, r)) &&
    conditionHolds(st.Condition, req)
  );
}

export type Decision = 'allowed' | 'denied' | 'not-allowed';

/** IAM's order: an explicit Deny, else an Allow, else the implicit deny. */
export function decide(statements: Statement[], req: Request): Decision {
  if (statements.some((st) => st.Effect === 'Deny' && applies(st, req))) return 'denied';
  if (statements.some((st) => st.Effect === 'Allow' && applies(st, req))) return 'allowed';
  return 'not-allowed';
}
