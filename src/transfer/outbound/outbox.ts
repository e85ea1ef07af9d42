import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { buildEbxmlMessage, GP2GP_SERVICE } from '../../ebxml/index.ts';
import { schema } from '../../store/index.ts';
import type { EngineContext, HostedPractice } from '../engine-context.ts';
import { buildPlannedMessage, type PlannedMessage } from '../large-message/index.ts';
import type { OutboundSpec } from '../transfer-tx.ts';
import { deliveryMovesTransfer, onDelivered, onUndeliverable } from './delivery.ts';

const { outboundMessages } = schema;

/** A queued message as stored. */
export type OutboundRow = typeof schema.outboundMessages.$inferSelect;

/**
 * Claims up to `limit` due messages of the hosted practices for this process: each is leased (so a crash only
 * delays it) and its attempt counted before it is sent.
 */
export async function claimOutbound(
  ctx: EngineContext,
  hosted: readonly string[],
  limit: number,
): Promise<OutboundRow[]> {
  if (hosted.length === 0) return [];
  const now = new Date(ctx.clock.now());
  const due = ctx.db
    .select({ id: outboundMessages.messageId })
    .from(outboundMessages)
    .where(
      and(
        eq(outboundMessages.state, 'pending'),
        inArray(outboundMessages.practiceOds, [...hosted]),
        lte(outboundMessages.nextAttemptAt, now),
        or(isNull(outboundMessages.leaseUntil), lte(outboundMessages.leaseUntil, now)),
      ),
    )
    .orderBy(asc(outboundMessages.nextAttemptAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return ctx.db
    .update(outboundMessages)
    .set({
      leaseUntil: new Date(now.getTime() + ctx.settings.leaseMs),
      attempts: sql`${outboundMessages.attempts} + 1`,
    })
    .where(inArray(outboundMessages.messageId, due))
    .returning();
}

/** Keeps a message this process is still sending leased to it. */
export async function renewOutboundLease(ctx: EngineContext, row: OutboundRow): Promise<void> {
  await ctx.db
    .update(outboundMessages)
    .set({ leaseUntil: new Date(ctx.clock.now() + ctx.settings.leaseMs) })
    .where(and(eq(outboundMessages.messageId, row.messageId), eq(outboundMessages.state, 'pending')));
}

/** Makes one attempt at a claimed message and records what came of it (and what it means for its transfer). */
export async function sendOutbound(ctx: EngineContext, row: OutboundRow): Promise<void> {
  const practice = ctx.practice(row.practiceOds);
  if (!practice) return; // no longer hosted here: the lease runs out and a process hosting it takes over
  const release = await ctx.sendBudget.acquire(estimatedBytes(row));
  let outcome: Awaited<ReturnType<typeof practice.outbound.attempt>>;
  try {
    const built = await buildBody(ctx, practice, row);
    outcome = await practice.outbound.attempt(row.messageId, built, {
      timeoutMs: ctx.settings.attemptTimeoutMs,
    });
  } finally {
    release();
  }
  const pending = and(eq(outboundMessages.messageId, row.messageId), eq(outboundMessages.state, 'pending'));
  if (outcome.kind === 'acknowledged' && !deliveryMovesTransfer(row.purpose)) {
    // Settling it is all there is to do (an application ack, say): one statement is its own transaction.
    await ctx.db
      .update(outboundMessages)
      .set({
        state: 'acknowledged',
        finishedAt: new Date(ctx.clock.now()),
        leaseUntil: null,
        lastError: null,
      })
      .where(pending);
    return;
  }
  await ctx.transaction(async (t) => {
    if (outcome.kind === 'acknowledged') {
      // One statement settles it and tells whether it was still ours to settle (another process may have).
      const [delivered] = await t.db
        .update(outboundMessages)
        .set({ state: 'acknowledged', finishedAt: t.now, leaseUntil: null, lastError: null })
        .where(pending)
        .returning();
      if (delivered) await onDelivered(ctx, t, delivered);
      return;
    }
    const [current] = await t.db.select().from(outboundMessages).where(pending).for('update');
    if (!current) return; // another process settled it meanwhile
    const now = t.now.getTime();
    const failure =
      outcome.kind === 'rejected'
        ? outcome.faults.map((f) => `${f.errorCode}: ${f.description ?? ''}`.trim()).join('; ')
        : outcome.reason;
    // ebXML reliable messaging retries at SDS's retry interval (not doubling: the persist duration is the budget),
    // with ±20% jitter so many messages held up together do not return in lockstep.
    const wait = Math.round(current.retryIntervalMs * (0.8 + 0.4 * Math.random()));
    const next = now + wait;
    const giveUp =
      outcome.kind === 'rejected' ||
      current.attempts >= current.maxAttempts ||
      next > current.deadlineAt.getTime();
    if (!giveUp) {
      await t.db
        .update(outboundMessages)
        .set({ nextAttemptAt: new Date(next), leaseUntil: null, lastError: failure })
        .where(eq(outboundMessages.messageId, row.messageId));
      return;
    }
    const state = outcome.kind === 'rejected' ? 'rejected' : 'expired';
    await t.db
      .update(outboundMessages)
      .set({ state, finishedAt: t.now, leaseUntil: null, lastError: failure })
      .where(eq(outboundMessages.messageId, row.messageId));
    await onUndeliverable(
      ctx,
      t,
      current,
      `${state === 'rejected' ? 'refused by Spine' : 'gave up'}: ${failure}`,
    );
  });
}

/**
 * About how much memory building and sending a message takes: its parts base64-encoded, the body and the copies
 * on the way, for the send budget.
 */
function estimatedBytes(row: OutboundRow): number {
  const spec = row.spec as unknown as OutboundSpec;
  const payload = row.payload?.length ?? 0;
  if (spec.kind === 'hl7') return 2 * payload + 4096;
  const message = spec.message as PlannedMessage;
  const parts = message.attachments.reduce((n, a) => n + a.content.bytes, 0);
  const core = message.kind === 'core' ? message.payload.bytes : 0;
  return 3 * Math.ceil(((parts + core) * 4) / 3) + 4096;
}

/** The ebXML body of a queued message: the same bytes on every attempt. */
async function buildBody(
  ctx: EngineContext,
  practice: HostedPractice,
  row: OutboundRow,
): Promise<{ contentType: string; body: Buffer }> {
  const spec = row.spec as unknown as OutboundSpec;
  const header = {
    fromPartyId: practice.partyKey,
    toPartyId: row.toPartyKey,
    cpaId: `S-${row.interactionId}`,
    conversationId: row.conversationId,
    service: GP2GP_SERVICE,
    action: row.interactionId,
    messageId: row.messageId,
    timestamp: spec.timestamp,
    duplicateElimination: true,
    ackRequested: true,
  };
  if (spec.kind === 'hl7') return buildEbxmlMessage({ header, payload: row.payload ?? '' });
  return buildPlannedMessage(spec.message as PlannedMessage, {
    from: { ...practice.address, partyKey: practice.partyKey },
    to: { ...spec.to, partyKey: row.toPartyKey },
    conversationId: row.conversationId,
    documents: ctx.documents,
    creationTime: new Date(spec.timestamp),
    ebxmlTimestamp: spec.timestamp,
  });
}
