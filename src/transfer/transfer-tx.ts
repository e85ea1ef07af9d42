import { and, eq, inArray, sql } from 'drizzle-orm';
import type { InteractionReliability } from '../spine/index.ts';
import { type Database, schema } from '../store/index.ts';
import type { TransferDetails, TransferRow } from './transfer-row.ts';
import { hasEnded, type TransferRole, type TransferState } from './transfer-state.ts';

const { transfers, transferEvents, outboundMessages, transferTimers } = schema;

/** What a transfer's message is for: its transport acknowledgement (or failure) moves the transfer on by it. */
export type MessagePurpose =
  | 'request'
  | 'request-ack'
  | 'request-refusal'
  | 'extract'
  | 'copc'
  | 'continue'
  | 'copc-ack'
  | 'final-ack'
  | 'stray-nack';

/** How to build a queued message's ebXML body, as JSON in its row. */
export type OutboundSpec =
  | { readonly kind: 'hl7'; readonly timestamp: string }
  | {
      readonly kind: 'planned';
      readonly timestamp: string;
      /** A large-message planned message (core or COPC). */
      readonly message: unknown;
      /** The recipient's HL7 address. */
      readonly to: { readonly asid: string; readonly ods: string };
    };

/** A message to queue in the same transaction as the transition that causes it. */
export interface QueuedMessage {
  readonly messageId: string;
  readonly practiceOds: string;
  readonly conversationId: string;
  readonly interactionId: string;
  readonly toPartyKey: string;
  readonly purpose: MessagePurpose;
  readonly payload?: string;
  readonly spec: OutboundSpec;
  readonly reliability: InteractionReliability;
  /** Queued now, sent only once released ({@link TransferTx.release}): parts waiting for a Continue. */
  readonly held?: boolean;
}

/** A state change, told to listeners once its transaction has committed. */
export interface TransitionNotice {
  readonly transferId: string;
  readonly practiceOds: string;
  readonly role: TransferRole;
  readonly from: TransferState | undefined;
  readonly to: TransferState;
}

/** A queued message as stored. */
export type OutboundMessageRow = typeof outboundMessages.$inferSelect;

/** What a transaction asks of the engine once it has committed. */
export interface CommitEffects {
  readonly transitions: TransitionNotice[];
  /** Messages queued (and leased to this process) to hand straight to its sender. */
  readonly queued: OutboundMessageRow[];
  timerDueNow: boolean;
}

/** Options of {@link TransferTx.transition}. */
export interface TransitionOptions {
  /** One line for the transfer's history. */
  readonly text: string;
  readonly reasonCode?: string;
  readonly reasonText?: string;
  /** Other columns to set in the same update. */
  readonly set?: Partial<
    Pick<TransferRow, 'extractMessageId' | 'receivedAt' | 'peerAsid' | 'peerPartyKey' | 'lloydGeorgePostedAt'>
  >;
  /** Fields merged into `details`. */
  readonly details?: TransferDetails;
  readonly actor?: string;
}

/**
 * One database transaction of the engine: every change to a transfer (its state, its history, the messages and
 * timers it causes) goes through here, so they commit together or not at all.
 *
 * @example
 * await engine.transaction(async (t) => {
 *   const row = await t.lock(id);
 *   if (row?.state === 'awaiting-extract') await t.transition(row, 'failed', { text: 'no extract in time' });
 * });
 */
export class TransferTx {
  readonly db: Database;
  readonly now: Date;
  readonly effects: CommitEffects;
  /** How long a queued message is leased to this process; undefined where it runs no sender (commands only). */
  private readonly leaseMs: number | undefined;

  constructor(db: Database, now: Date, effects: CommitEffects, leaseMs: number | undefined) {
    this.db = db;
    this.now = now;
    this.effects = effects;
    this.leaseMs = leaseMs;
  }

  /** The transfer, locked until the transaction ends; undefined where there is none. */
  async lock(id: string): Promise<TransferRow | undefined> {
    const [row] = await this.db.select().from(transfers).where(eq(transfers.id, id)).for('update');
    return row;
  }

  /** The practice's transfer in this role and conversation, locked. */
  async lockConversation(
    practiceOds: string,
    role: TransferRole,
    conversationId: string,
  ): Promise<TransferRow | undefined> {
    const [row] = await this.db
      .select()
      .from(transfers)
      .where(
        and(
          eq(transfers.practiceOds, practiceOds),
          eq(transfers.role, role),
          eq(transfers.conversationId, conversationId.toUpperCase()),
        ),
      )
      .for('update');
    return row;
  }

  /**
   * The practice's transfers in this conversation, in either role, locked in one statement: a COPC message
   * belongs to the sending side (a Continue) where there is one, else to the requesting side (a part).
   */
  async lockConversationRoles(
    practiceOds: string,
    conversationId: string,
  ): Promise<{ sending?: TransferRow; requesting?: TransferRow }> {
    const rows = await this.db
      .select()
      .from(transfers)
      .where(
        and(
          eq(transfers.practiceOds, practiceOds),
          inArray(transfers.role, ['sending', 'requesting']),
          eq(transfers.conversationId, conversationId.toUpperCase()),
        ),
      )
      .for('update');
    const sending = rows.find((r) => r.role === 'sending');
    const requesting = rows.find((r) => r.role === 'requesting');
    return { ...(sending ? { sending } : {}), ...(requesting ? { requesting } : {}) };
  }

  /** Creates a transfer in its first state, with the event saying so. */
  async create(values: {
    id: string;
    practiceOds: string;
    role: TransferRole;
    conversationId: string;
    nhsNumber: string;
    peerOds: string;
    peerAsid?: string | null;
    peerPartyKey?: string | null;
    state: TransferState;
    requestId?: string | null;
    requestMessageId?: string | null;
    details: TransferDetails;
    text: string;
    actor?: string;
  }): Promise<TransferRow> {
    const [row] = await this.db
      .insert(transfers)
      .values({
        id: values.id,
        practiceOds: values.practiceOds,
        role: values.role,
        conversationId: values.conversationId.toUpperCase(),
        nhsNumber: values.nhsNumber,
        peerOds: values.peerOds,
        peerAsid: values.peerAsid ?? null,
        peerPartyKey: values.peerPartyKey ?? null,
        state: values.state,
        open: !hasEnded(values.state),
        requestId: values.requestId ?? null,
        requestMessageId: values.requestMessageId ?? null,
        createdAt: this.now,
        updatedAt: this.now,
        stateChangedAt: this.now,
        details: { ...values.details },
      })
      .returning();
    if (!row) throw new Error('insert returned no row');
    await this.event(row, { kind: 'state', toState: values.state, text: values.text, actor: values.actor });
    this.effects.transitions.push({
      transferId: row.id,
      practiceOds: row.practiceOds,
      role: row.role,
      from: undefined,
      to: values.state,
    });
    return row;
  }

  /** Moves a transfer to `to`, recording why; a transfer that has ended stays ended. */
  async transition(row: TransferRow, to: TransferState, options: TransitionOptions): Promise<TransferRow> {
    const from = row.state as TransferState;
    if (hasEnded(from)) throw new Error(`transfer ${row.id} has ended (${from}); it cannot become ${to}`);
    const ended = hasEnded(to);
    const [updated] = await this.db
      .update(transfers)
      .set({
        state: to,
        open: !ended,
        updatedAt: this.now,
        stateChangedAt: this.now,
        ...(ended ? { endedAt: this.now } : {}),
        ...(options.reasonCode !== undefined ? { reasonCode: options.reasonCode } : {}),
        ...(options.reasonText !== undefined ? { reasonText: options.reasonText } : {}),
        ...options.set,
        details: { ...(row.details as TransferDetails), ...options.details },
      })
      .where(eq(transfers.id, row.id))
      .returning();
    if (!updated) throw new Error(`transfer ${row.id} vanished`);
    await this.event(updated, {
      kind: 'state',
      fromState: from,
      toState: to,
      text: options.text,
      reasonCode: options.reasonCode,
      actor: options.actor,
    });
    if (ended) await this.db.delete(transferTimers).where(eq(transferTimers.transferId, row.id));
    this.effects.transitions.push({
      transferId: row.id,
      practiceOds: row.practiceOds,
      role: row.role,
      from,
      to,
    });
    return updated;
  }

  /** Changes a transfer's columns or details without a change of state. */
  async update(row: TransferRow, options: Omit<TransitionOptions, 'text'>): Promise<TransferRow> {
    const [updated] = await this.db
      .update(transfers)
      .set({
        updatedAt: this.now,
        ...options.set,
        ...(options.reasonCode !== undefined ? { reasonCode: options.reasonCode } : {}),
        ...(options.reasonText !== undefined ? { reasonText: options.reasonText } : {}),
        details: { ...(row.details as TransferDetails), ...options.details },
      })
      .where(eq(transfers.id, row.id))
      .returning();
    if (!updated) throw new Error(`transfer ${row.id} vanished`);
    return updated;
  }

  /** Adds a line to a transfer's history. */
  async event(
    row: Pick<TransferRow, 'id' | 'practiceOds'>,
    e: {
      kind: 'state' | 'sent' | 'received' | 'command' | 'note';
      text: string;
      fromState?: string | undefined;
      toState?: string | undefined;
      interactionId?: string | undefined;
      messageId?: string | undefined;
      reasonCode?: string | undefined;
      actor?: string | undefined;
    },
  ): Promise<void> {
    await this.db.insert(transferEvents).values({
      transferId: row.id,
      practiceOds: row.practiceOds,
      at: this.now,
      kind: e.kind,
      fromState: e.fromState ?? null,
      toState: e.toState ?? null,
      interactionId: e.interactionId ?? null,
      messageId: e.messageId ?? null,
      reasonCode: e.reasonCode ?? null,
      actor: e.actor ?? null,
      text: e.text,
    });
  }

  /** Queues a message for Spine; its MessageId is fixed now, so every attempt sends the same one. */
  async queue(transfer: TransferRow | undefined, m: QueuedMessage): Promise<void> {
    const r = m.reliability;
    const [row] = await this.db
      .insert(outboundMessages)
      .values({
        messageId: m.messageId.toUpperCase(),
        transferId: transfer?.id ?? null,
        practiceOds: m.practiceOds,
        conversationId: m.conversationId.toUpperCase(),
        interactionId: m.interactionId,
        toPartyKey: m.toPartyKey,
        purpose: m.purpose,
        spec: m.spec as unknown as Record<string, unknown>,
        payload: m.payload ?? null,
        state: m.held ? 'held' : 'pending',
        // Leased to this process and its first attempt counted, as a claim would: it is sent without one.
        attempts: m.held || !this.leaseMs ? 0 : 1,
        leaseUntil: m.held ? null : this.leaseEnd(),
        maxAttempts: 1 + r.retries,
        retryIntervalMs: r.retryIntervalSeconds * 1000,
        nextAttemptAt: this.now,
        deadlineAt: new Date(this.now.getTime() + r.persistDurationSeconds * 1000),
        createdAt: this.now,
      })
      .returning();
    // A process without a sender (commands only) leaves the message for the processes that have one to claim.
    if (row && !m.held && this.leaseMs) this.effects.queued.push(row);
  }

  private leaseEnd(): Date | null {
    return this.leaseMs ? new Date(this.now.getTime() + this.leaseMs) : null;
  }

  /**
   * Sends a transfer's held messages of one purpose from now: each gets its whole persist duration from the
   * moment it is released. Returns how many were released.
   */
  async release(row: Pick<TransferRow, 'id'>, purpose: MessagePurpose): Promise<number> {
    const released = await this.db
      .update(outboundMessages)
      .set({
        state: 'pending',
        nextAttemptAt: this.now,
        deadlineAt: sql`${this.now.toISOString()}::timestamptz + (${outboundMessages.deadlineAt} - ${outboundMessages.createdAt})`,
        attempts: this.leaseMs ? sql`${outboundMessages.attempts} + 1` : outboundMessages.attempts,
        leaseUntil: this.leaseEnd(),
      })
      .where(
        and(
          eq(outboundMessages.transferId, row.id),
          eq(outboundMessages.purpose, purpose),
          eq(outboundMessages.state, 'held'),
        ),
      )
      .returning();
    if (this.leaseMs) this.effects.queued.push(...released);
    return released.length;
  }

  /** Sets (or moves) a timer of a transfer. */
  async setTimer(row: Pick<TransferRow, 'id' | 'practiceOds'>, kind: string, dueAt: Date): Promise<void> {
    await this.db
      .insert(transferTimers)
      .values({ transferId: row.id, kind, practiceOds: row.practiceOds, dueAt, attempts: 0 })
      .onConflictDoUpdate({
        target: [transferTimers.transferId, transferTimers.kind],
        set: { dueAt, leaseUntil: null, attempts: 0, lastError: null },
      });
    if (dueAt.getTime() <= this.now.getTime()) this.effects.timerDueNow = true;
  }

  /** Removes a timer of a transfer, if set. */
  async clearTimer(row: Pick<TransferRow, 'id'>, kind: string): Promise<void> {
    await this.db
      .delete(transferTimers)
      .where(and(eq(transferTimers.transferId, row.id), eq(transferTimers.kind, kind)));
  }
}
