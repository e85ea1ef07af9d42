import { and, asc, eq, inArray, isNull, lte, or, sql } from 'drizzle-orm';
import { type Hl7Message, readHl7, readHl7Stream } from '../../hl7/index.ts';
import { schema } from '../../store/index.ts';
import type { EngineContext } from '../engine-context.ts';
import { changesNoTransfer, routeInbound } from './route-inbound.ts';

const { inboundMessages } = schema;

/** A received message as stored. */
export type InboundRow = typeof schema.inboundMessages.$inferSelect;

/** A received message with its HL7 read (or why it could not be). */
export interface ReceivedMessage {
  readonly row: InboundRow;
  readonly hl7: Hl7Message | { readonly kind: 'unreadable'; readonly error: unknown };
}

/** Claims up to `limit` received messages of the hosted practices that are waiting to be applied. */
export async function claimInbound(
  ctx: EngineContext,
  hosted: readonly string[],
  limit: number,
): Promise<InboundRow[]> {
  if (hosted.length === 0) return [];
  const now = new Date(ctx.clock.now());
  const due = ctx.db
    .select({ id: inboundMessages.messageId })
    .from(inboundMessages)
    .where(
      and(
        eq(inboundMessages.state, 'pending'),
        inArray(inboundMessages.practiceOds, [...hosted]),
        lte(inboundMessages.nextAttemptAt, now),
        or(isNull(inboundMessages.leaseUntil), lte(inboundMessages.leaseUntil, now)),
      ),
    )
    .orderBy(asc(inboundMessages.receivedAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  return ctx.db
    .update(inboundMessages)
    .set({
      leaseUntil: new Date(now.getTime() + ctx.settings.leaseMs),
      attempts: sql`${inboundMessages.attempts} + 1`,
    })
    .where(inArray(inboundMessages.messageId, due))
    .returning();
}

/** Keeps a message this process is still applying leased to it. */
export async function renewInboundLease(ctx: EngineContext, row: InboundRow): Promise<void> {
  await ctx.db
    .update(inboundMessages)
    .set({ leaseUntil: new Date(ctx.clock.now() + ctx.settings.leaseMs) })
    .where(and(eq(inboundMessages.messageId, row.messageId), eq(inboundMessages.state, 'pending')));
}

/**
 * Applies one received message to its transfer, in one transaction with everything it causes; a message is
 * applied once even if two processes hold it (the row is re-checked under lock). A failure is retried later;
 * past the attempt limit the message is set aside as failed, with its error.
 */
export async function applyInbound(ctx: EngineContext, claimed: InboundRow): Promise<void> {
  const received: ReceivedMessage = { row: claimed, hl7: await readPayload(ctx, claimed) };
  try {
    if (await changesNoTransfer(ctx, received)) {
      // Nothing to apply it with: marking it applied is one statement, its own transaction.
      await ctx.db
        .update(inboundMessages)
        .set({ state: 'applied', appliedAt: new Date(ctx.clock.now()), leaseUntil: null })
        .where(and(eq(inboundMessages.messageId, claimed.messageId), eq(inboundMessages.state, 'pending')));
      return;
    }
    await ctx.transaction(async (t) => {
      // Marked applied first, under its row lock, in the transaction that applies it: applied once, or not at all.
      const [taken] = await t.db
        .update(inboundMessages)
        .set({ state: 'applied', appliedAt: t.now, leaseUntil: null })
        .where(and(eq(inboundMessages.messageId, claimed.messageId), eq(inboundMessages.state, 'pending')))
        .returning({ id: inboundMessages.messageId });
      if (!taken) return;
      const note = await routeInbound(ctx, t, received);
      if (note) {
        await t.db
          .update(inboundMessages)
          .set({ error: note })
          .where(eq(inboundMessages.messageId, claimed.messageId));
      }
    });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const giveUp = claimed.attempts >= ctx.settings.maxStepAttempts;
    const now = ctx.clock.now();
    await ctx.db
      .update(inboundMessages)
      .set({
        state: giveUp ? 'failed' : 'pending',
        error: message,
        leaseUntil: null,
        nextAttemptAt: new Date(now + ctx.settings.stepRetryMs),
      })
      .where(eq(inboundMessages.messageId, claimed.messageId));
    if (!giveUp) return;
    throw new Error(`inbound ${claimed.interactionId} ${claimed.messageId} set aside: ${message}`);
  }
}

/** Reads the HL7 payload; an extract's record is left out (the translator streams it later). */
async function readPayload(ctx: EngineContext, row: InboundRow): Promise<ReceivedMessage['hl7']> {
  try {
    if (row.payload === null && row.payloadDocumentId) {
      const read = await ctx.documents.read(row.payloadDocumentId);
      if (!read.ok) throw new Error(`payload document ${row.payloadDocumentId} is missing`);
      return await readHl7Stream(read.stream, { countOnly: true });
    }
    return readHl7(row.payload ?? '', { countOnly: true });
  } catch (error) {
    return { kind: 'unreadable', error };
  }
}
