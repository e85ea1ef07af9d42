import type {
  AssemblyFailure,
  AssemblyPiece,
  AssemblyPlan,
  Assessment,
  LargeMessageReasonCode,
} from './assembly-types.ts';
import type { ReceivedPart, ReceivedPartSummary, ReceivedReference } from './received-summary.ts';

const SKELETON = /X-GP2GP-Skeleton:\s*Yes/i;
/** The most specific code wins: reassembly (29), then missing attachments (31), then the general failure (30). */
const PRECEDENCE: readonly LargeMessageReasonCode[] = ['29', '31', '30'];

interface Walk {
  readonly coreId: string;
  readonly byId: ReadonlyMap<string, ReceivedPartSummary>;
  /** Needed but not received, by lower-cased id, as written. */
  readonly missing: Map<string, string>;
  readonly expected: Set<string>;
  readonly used: Set<string>;
  readonly failures: AssemblyFailure[];
}

type Resolved = Pick<AssemblyPlan, 'route' | 'pieces'>;

/**
 * Decides where a conversation's large-message parts stand: still waiting (and for which messages), complete
 * (with how to put each document and the extract back together), or failed (with the reason code to send).
 * Pure and order-independent: COPCs may come in any order (an index after its fragments), more than once, and
 * ids are matched whatever their case; a `cid:` the message does not carry is looked for as a message id, and a
 * `mid:` that names one of the message's own parts is taken from it, as real senders mix the two.
 *
 * @example
 * const a = assessAssembly(coreSummary, copcSummaries);
 * if (a.kind === 'waiting') scheduleTimeout(a.expectedCopcCount);
 */
export function assessAssembly(core: ReceivedPartSummary, copcs: readonly ReceivedPartSummary[]): Assessment {
  if (core.role !== 'core')
    return failed([
      { reasonCode: '30', detail: `${core.interactionId} ${core.messageId} is not an EHR extract` },
    ]);
  const warnings: string[] = [];
  const walk: Walk = {
    coreId: key(core.messageId),
    byId: indexById(copcs, warnings),
    missing: new Map(),
    expected: new Set(),
    used: new Set(),
    failures: [],
  };
  const documents: AssemblyPlan[] = [];
  let skeleton: AssemblyPlan | undefined;
  for (const ref of core.references) {
    const resolved = resolveReference(ref, core, walk, 0);
    if (!resolved) continue;
    const plan: AssemblyPlan = {
      href: ref.href,
      ...(ref.ebId ? { ebId: ref.ebId } : {}),
      filename: ref.description?.filename ?? ref.ebId ?? ref.target,
      contentType: ref.description?.contentType ?? 'application/octet-stream',
      description: ref.description ?? {},
      ...resolved,
    };
    if (!SKELETON.test(ref.description?.domainData ?? '')) documents.push(plan);
    else if (skeleton)
      fail(walk, '30', `the manifest has two skeleton attachments (${skeleton.href}, ${ref.href})`);
    else skeleton = plan;
  }
  if (walk.failures.length > 0) return failed(walk.failures);
  if (walk.missing.size > 0)
    return {
      kind: 'waiting',
      missingMessageIds: [...walk.missing.values()],
      expectedCopcCount: walk.expected.size,
    };
  const unusedMessageIds = [...walk.byId.entries()]
    .filter(([id, m]) => !walk.used.has(id) && m.copc?.kind !== 'continue')
    .map(([, m]) => m.messageId);
  return {
    kind: 'complete',
    documents,
    extract: skeleton
      ? {
          kind: 'skeleton',
          document: skeleton,
          ...(skeleton.ebId ? { skeletonDocumentId: skeleton.ebId.replace(/^_/, '') } : {}),
        }
      : { kind: 'payload' },
    expectedCopcCount: walk.expected.size,
    unusedMessageIds,
    warnings,
  };
}

/** Resolves one reference of `container`; undefined when it is missing or failed (recorded in the walk). */
function resolveReference(
  ref: ReceivedReference,
  container: ReceivedPartSummary,
  walk: Walk,
  depth: number,
): Resolved | undefined {
  if (ref.scheme === 'other') {
    fail(walk, '30', `${container.messageId} refers to "${ref.href}", neither cid: nor mid:`);
    return undefined;
  }
  const id = key(ref.target);
  const inline = findPart(container, ref.target);
  if (inline && (ref.scheme === 'cid' || !walk.byId.has(id)))
    return { route: 'inline', pieces: [piece(inline, container)] };
  if (id === walk.coreId || id === key(container.messageId)) {
    fail(walk, '29', `${container.messageId} refers to ${ref.href}, which is not an attachment message`);
    return undefined;
  }
  walk.expected.add(id);
  const copc = walk.byId.get(id);
  if (!copc) {
    walk.missing.set(id, ref.target);
    return undefined;
  }
  walk.used.add(id);
  return resolveCopc(copc, walk, depth);
}

/** A COPC is one document (or fragment) in its MIME parts, or a fragment index of `mid:` references. */
function resolveCopc(copc: ReceivedPartSummary, walk: Walk, depth: number): Resolved | undefined {
  const name = `COPC ${copc.messageId}`;
  if (copc.role !== 'copc')
    return fail(walk, '30', `${copc.messageId} is a ${copc.interactionId}, not a COPC`);
  if (copc.problems.length > 0) return fail(walk, '30', `${name}: ${copc.problems.join('; ')}`);
  const external = copc.references.filter((r) => r.scheme !== 'cid' || !findPart(copc, r.target));
  if (external.length === 0) {
    if (copc.parts.length === 0) return fail(walk, '31', `${name} carries no attachment`);
    return { route: 'copc', pieces: copc.parts.map((p) => piece(p, copc)) };
  }
  if (copc.parts.length > 0)
    return fail(walk, '29', `${name} carries an attachment and fragment references both`);
  if (depth > 0) return fail(walk, '29', `${name} is a fragment index inside a fragment index`);
  const seen = new Set<string>();
  const pieces: AssemblyPiece[] = [];
  let whole = true;
  for (const ref of external) {
    if (seen.has(key(ref.target)))
      return fail(walk, '29', `fragment index ${copc.messageId} lists ${ref.href} twice`);
    seen.add(key(ref.target));
    const fragment = resolveReference(ref, copc, walk, depth + 1);
    if (fragment) pieces.push(...fragment.pieces);
    else whole = false;
  }
  return whole ? { route: 'fragments', pieces } : undefined;
}

function findPart(message: ReceivedPartSummary, target: string): ReceivedPart | undefined {
  const id = key(target);
  return message.parts.find((p) => key(p.contentId) === id);
}

function piece(part: ReceivedPart, from: ReceivedPartSummary): AssemblyPiece {
  return { storedId: part.storedId, bytes: part.bytes, messageId: from.messageId };
}

/** Ids compare without case or angle brackets, as suppliers differ in both. */
function key(id: string): string {
  return id.replace(/^<|>$/g, '').trim().toLowerCase();
}

/**
 * COPCs by id. A repeated one is normally the same message sent again; two that differ under one MessageId are
 * a sender's fault. Either way one is chosen by content, not by arrival, so the outcome does not depend on order.
 */
function indexById(
  copcs: readonly ReceivedPartSummary[],
  warnings: string[],
): Map<string, ReceivedPartSummary> {
  const byId = new Map<string, ReceivedPartSummary>();
  const conflicting = new Set<string>();
  const partsOf = (m: ReceivedPartSummary): string => m.parts.map((p) => p.storedId).join(',');
  const rank = (m: ReceivedPartSummary): string => `${partsOf(m)}|${m.messageId}`;
  for (const m of copcs) {
    const other = byId.get(key(m.messageId));
    if (!other || rank(m) < rank(other)) byId.set(key(m.messageId), m);
    if (other && partsOf(other) !== partsOf(m)) conflicting.add(key(m.messageId));
  }
  for (const id of [...conflicting].sort())
    warnings.push(`two different messages came with MessageId ${byId.get(id)!.messageId}: one is used`);
  return byId;
}

function fail(walk: Walk, reasonCode: LargeMessageReasonCode, detail: string): undefined {
  walk.failures.push({ reasonCode, detail });
  return undefined;
}

function failed(failures: readonly AssemblyFailure[]): Assessment {
  const first = PRECEDENCE.map((c) => failures.find((f) => f.reasonCode === c)).find((f) => f !== undefined)!;
  return { kind: 'failed', reasonCode: first.reasonCode, detail: first.detail, failures };
}
