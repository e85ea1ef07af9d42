import type { Agent as HttpAgent, IncomingMessage, ServerResponse } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import { type Clock, systemClock } from '../../common/clock.ts';
import {
  type EbxmlFault,
  type EbxmlMessageHead,
  type MessageHeader,
  readEbxmlMessageHead,
} from '../../ebxml/index.ts';
import { readAck } from '../../hl7/index.ts';
import { parseXml } from '../../xml/index.ts';
import { describeFailure, type HttpOutcome, httpExchange, readBody } from '../http/http-io.ts';
import { InFlight } from '../http/in-flight.ts';
import type { ResolvedServerLimits } from '../http/server-limits.ts';
import { readHl7Addressing } from '../mhs/hl7-addressing.ts';
import {
  bodyRefusal,
  errorReply,
  readTransportReply,
  type SignalReply,
  sendSignal,
} from '../mhs/transport-signals.ts';
import type { SdsDirectory } from '../sds/sds-directory.ts';
import type { PracticeDirectoryEntry } from '../sds/sds-types.ts';
import { peerCommonName } from '../tls/tls-identity.ts';
import type { FaultInjector, FaultKind } from './fault-injector.ts';
import type { SimulatorState } from './simulator-state.ts';
import { logHeaderProblem } from './spine-log-safety.ts';
import type { SpineLogEntry, SpineMessageLog } from './spine-message-log.ts';

/** Options for {@link MhsRouter}. */
export interface MhsRouterOptions {
  readonly directory: SdsDirectory;
  readonly faults: FaultInjector;
  readonly log: SpineMessageLog | undefined;
  /** Which MessageIds are already in the log (kept across restarts where the state is). */
  readonly state: Pick<SimulatorState, 'claimLogged'>;
  /** Pool presenting Spine's certificate to practice endpoints. */
  readonly agent: HttpAgent | HttpsAgent;
  /** Whether the sender's certificate must name the From party's practice (on with mutual TLS). */
  readonly checkSenderCertificate: boolean;
  /** Longest a forward to a practice endpoint may take, in ms of real time (default 30 s). */
  readonly forwardTimeoutMs?: number;
  readonly maxMessageBytes?: number;
  /** The hub server's memory budget for bodies in flight and its body idle timeout. */
  readonly limits: Pick<ResolvedServerLimits, 'bodyBudget' | 'bodyIdleTimeoutMs'>;
  /** Fault holds (drop, delay, reorder) and log times (default the system clock). */
  readonly clock?: Clock;
}

/** What the router has in flight: tests wait on these for "held", "quiet" and "drained". */
export interface RouterActivity {
  /** Requests being handled (from headers received to reply sent), held ones included. */
  readonly requests: InFlight;
  /** Requests waiting on the clock: a drop, delay or reorder fault holding them. */
  readonly held: InFlight;
  /** Deliveries after the reply (the second copy of a `duplicate` fault). */
  readonly background: InFlight;
}

/** What the router has done. */
export interface RouterStats {
  received: number;
  forwarded: number;
  acknowledged: number;
  refused: number;
  deliveryFailures: number;
}

/**
 * Spine's MHS hub: takes a forward-reliable message from a practice, checks the sender is who its certificate
 * says, looks the To party up in SDS, and passes the message to that practice's endpoint, returning the
 * receiver's Acknowledgment (or error) to the sender. Injects the faults the {@link FaultInjector} picks and
 * logs each message it accepts once in the Spine message log.
 */
export class MhsRouter {
  readonly stats: RouterStats = {
    received: 0,
    forwarded: 0,
    acknowledged: 0,
    refused: 0,
    deliveryFailures: 0,
  };
  readonly activity: RouterActivity = {
    requests: new InFlight(),
    held: new InFlight(),
    background: new InFlight(),
  };
  private readonly options: MhsRouterOptions;
  private readonly clock: Clock;
  private readonly closing = new AbortController();
  private readonly parked = new Map<string, () => void>();

  constructor(options: MhsRouterOptions) {
    this.options = options;
    this.clock = options.clock ?? systemClock;
  }

  /** Handles one POST to the MHS route. */
  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const end = this.activity.requests.begin();
    try {
      await this.route(req, res);
    } catch (e) {
      // whatever went wrong, the sender gets an ebXML answer it can act on: try again later
      this.stats.deliveryFailures++;
      sendSignal(res, errorReply(undefined, fault('DeliveryFailure', `Spine failed: ${String(e)}`)));
    } finally {
      end();
    }
  }

  /** Resolves when nothing is in flight: no request being handled and no background delivery. */
  async whenIdle(): Promise<void> {
    const { requests, background } = this.activity;
    while (requests.count > 0 || background.count > 0)
      await Promise.race([requests.changed(), background.changed()]);
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const lease = this.options.limits.bodyBudget.lease();
    res.once('close', lease.release);
    const read = await readBody(req, this.options.maxMessageBytes ?? 100 * 1024 * 1024, {
      lease,
      idleTimeoutMs: this.options.limits.bodyIdleTimeoutMs,
    });
    if (!read.ok) {
      const refusal = bodyRefusal(read.reason);
      if (refusal) this.refuse(res, undefined, refusal);
      return;
    }
    this.stats.received++;
    const contentType = String(req.headers['content-type'] ?? '');
    let message: EbxmlMessageHead;
    try {
      // Spine routes on the envelope and payload and passes the body on as it came: attachments stay encoded.
      message = readEbxmlMessageHead(read.body, contentType);
    } catch (e) {
      this.refuse(
        res,
        undefined,
        fault('MimeProblem', e instanceof Error ? e.message : 'unreadable message'),
      );
      return;
    }
    const { header } = message;
    const malformed = logHeaderProblem(header); // what Spine cannot log, it does not take
    if (malformed) {
      this.refuse(res, header, fault('Inconsistent', malformed));
      return;
    }
    const from = this.options.directory.partySync(header.fromPartyId);
    if (!from) {
      this.refuse(
        res,
        header,
        fault('ValueNotRecognized', `unknown From party ${header.fromPartyId}`, 'MessageHeader/From/PartyId'),
      );
      return;
    }
    if (this.options.checkSenderCertificate) {
      const peer = peerCommonName(req.socket);
      if (peer !== from.ods) {
        this.refuse(
          res,
          header,
          fault('SecurityFailure', `certificate ${peer ?? '(none)'} does not belong to ${from.partyKey}`),
        );
        return;
      }
    }
    const sender = this.checkHl7Sender(message, from);
    if (sender) {
      this.refuse(res, header, sender);
      return;
    }
    const to = this.options.directory.partySync(header.toPartyId);
    if (!to) {
      this.refuse(
        res,
        header,
        fault('ValueNotRecognized', `unknown To party ${header.toPartyId}`, 'MessageHeader/To/PartyId'),
      );
      return;
    }
    if (!to.endpoint) {
      this.stats.deliveryFailures++;
      sendSignal(
        res,
        errorReply(header, fault('DeliveryFailure', `practice ${to.ods} has no MHS endpoint registered`)),
      );
      return;
    }
    const route: Route = { message, from, to, endpoint: to.endpoint, contentType, body: read.body };
    // Spine logs a message when it accepts it, whether or not the recipient ever acknowledges it: that is
    // what lets reporting see a request that was sent but never answered.
    await this.logOnce(route);
    await this.routeWithFault(route, this.options.faults.next(header.action), res);
  }

  /** A reason to refuse a message whose HL7 sender ASID is not the From party's, which SDS gives. */
  private checkHl7Sender(message: EbxmlMessageHead, from: PracticeDirectoryEntry): EbxmlFault | undefined {
    if (message.payload === undefined) return fault('Inconsistent', 'message has no HL7 payload');
    const addressing = readHl7Addressing(message.payload);
    // An unreadable payload claims no sender: it goes on, for the receiving practice to answer with its reason code.
    if (!addressing) return undefined;
    if (addressing.senderAsid === from.asid) return undefined;
    return fault(
      'SecurityFailure',
      `HL7 sender ASID ${addressing.senderAsid ?? '(none)'} is not ${from.partyKey}'s ASID ${from.asid}`,
    );
  }

  /** Cancels held messages and waits for background deliveries (duplicates) to finish. */
  async close(): Promise<void> {
    this.closing.abort();
    await this.activity.background.until((n) => n === 0);
  }

  private async routeWithFault(
    route: Route,
    kind: FaultKind | undefined,
    res: ServerResponse,
  ): Promise<void> {
    switch (kind) {
      case 'drop':
        // lost in transit: nothing is delivered and the sender hears nothing until the connection is cut
        await this.hold(this.options.faults.dropHoldMs);
        res.socket?.destroy();
        return;
      case 'error5xx':
        this.stats.deliveryFailures++;
        sendSignal(
          res,
          errorReply(
            route.message.header,
            fault('DeliveryFailure', 'simulated Spine fault: service unavailable'),
          ),
        );
        return;
      case 'delay':
        await this.hold(this.options.faults.delayMs());
        break;
      case 'reorder':
        await this.parkUntilOvertaken(route.to.ods);
        break;
      default:
        break;
    }
    if (this.closing.signal.aborted) {
      res.socket?.destroy();
      return;
    }
    const reply = await this.forward(route);
    if (kind === 'reset') {
      // delivered, but the sender never sees the ack: its retry must be eliminated as a duplicate
      res.socket?.destroy();
      return;
    }
    sendSignal(res, reply);
    if (kind === 'duplicate') this.track(this.forward(route));
  }

  private async forward(route: Route): Promise<SignalReply> {
    this.stats.forwarded++;
    const out: HttpOutcome = await httpExchange({
      url: new URL(route.endpoint),
      method: 'POST',
      headers: { 'content-type': route.contentType, soapaction: 'urn:nhs:names:services:gp2gp' },
      body: route.body,
      agent: this.options.agent,
      timeoutMs: this.options.forwardTimeoutMs ?? 30_000,
    });
    this.releaseParked(route.to.ods);
    const { header } = route.message;
    if (!out.ok) {
      this.stats.deliveryFailures++;
      const why = describeFailure(out.failure);
      return errorReply(
        header,
        fault('DeliveryFailure', `practice ${route.to.ods} endpoint unreachable: ${why}`),
      );
    }
    const { status, headers, body } = out.response;
    if (readTransportReply(status, body, header.messageId).kind === 'acknowledged') this.stats.acknowledged++;
    return {
      status,
      contentType: String(headers['content-type'] ?? 'text/xml; charset=UTF-8'),
      body: body.toString('utf8'),
    };
  }

  /**
   * Logs a message the first time Spine accepts it, before passing it on. The id is claimed first, then the line
   * written: a crash between the two loses that line rather than writing a copy's.
   */
  private async logOnce(route: Route): Promise<void> {
    const log = this.options.log;
    const at = new Date(this.clock.now());
    if (log && (await this.options.state.claimLogged(route.message.header.messageId, at)))
      await log.append(logEntry(route, at));
  }

  /** Waits until the next message to the same practice has been forwarded, or the hold time passes. */
  private async parkUntilOvertaken(ods: string): Promise<void> {
    if (this.parked.has(ods)) return; // one parked message per practice: this one overtakes it
    const overtaken = new AbortController();
    this.parked.set(ods, () => overtaken.abort());
    await this.hold(this.options.faults.reorderHoldMs, overtaken.signal);
    this.parked.delete(ods);
  }

  private releaseParked(ods: string): void {
    const release = this.parked.get(ods);
    if (release) {
      this.parked.delete(ods);
      release();
    }
  }

  /** Holds a message on the clock for `ms`, or until closing (or `release`) ends the hold early. */
  private async hold(ms: number, release?: AbortSignal): Promise<void> {
    const end = this.activity.held.begin();
    try {
      const signal = release ? AbortSignal.any([this.closing.signal, release]) : this.closing.signal;
      await this.clock.sleep(ms, signal);
    } catch {
      // released early: stop waiting
    } finally {
      end();
    }
  }

  private track(p: Promise<unknown>): void {
    const end = this.activity.background.begin();
    p.then(end, end);
  }

  private refuse(res: ServerResponse, header: MessageHeader | undefined, f: EbxmlFault): void {
    this.stats.refused++;
    sendSignal(res, errorReply(header, f));
  }
}

interface Route {
  readonly message: EbxmlMessageHead;
  readonly from: PracticeDirectoryEntry;
  readonly to: PracticeDirectoryEntry;
  readonly endpoint: string;
  readonly contentType: string;
  readonly body: Buffer;
}

function fault(errorCode: string, description: string, location?: string): EbxmlFault {
  return { errorCode, severity: 'Error', description, ...(location ? { location } : {}) };
}

/** The Spine log line for a routed message; an application ack also names what it acks and its reason code. */
function logEntry(route: Route, time: Date): SpineLogEntry {
  const { header, payload } = route.message;
  let messageRef = header.refToMessageId;
  let jdiEvent: string | undefined;
  if (header.action.startsWith('MCCI_') && payload) {
    try {
      const ack = readAck(parseXml(payload).root);
      messageRef = ack.acknowledgedMessageId ?? messageRef;
      jdiEvent = ack.reasonCode;
    } catch {
      // an unreadable ack is still logged, without reference or code
    }
  }
  return {
    time,
    conversationId: header.conversationId,
    guid: header.messageId,
    interactionId: `${header.service}/${header.action}`,
    messageSender: route.from.asid,
    messageRecipient: route.to.asid,
    ...(messageRef ? { messageRef } : {}),
    ...(jdiEvent ? { jdiEvent } : {}),
    toSystem: route.to.supplier,
    fromSystem: route.from.supplier,
  };
}
