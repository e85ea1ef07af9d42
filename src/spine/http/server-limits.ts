import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { mutualTlsServerOptions, type TlsIdentity } from '../tls/tls-identity.ts';

/**
 * Limits on a server that faces other machines (the Spine hub, a practice's inbound endpoint), so that idle or
 * slow clients cannot hold its sockets and memory: every one is bounded, and every one can be set small in tests.
 * The timeouts are on real time: they bound sockets, not protocol time.
 */
export interface ServerLimits {
  /** Connections open at once; more are closed as they arrive (default 1024). */
  readonly maxConnections?: number;
  /** Longest a client may take to finish the TLS handshake, in ms (default 10 s; Node's own is 120 s). */
  readonly handshakeTimeoutMs?: number;
  /** Longest a client may take to send the request headers, in ms (default 20 s). */
  readonly headersTimeoutMs?: number;
  /** Longest a whole request may take to arrive, in ms (default 10 minutes: 100 MB over a slow link). */
  readonly requestTimeoutMs?: number;
  /** Longest a request body may go without a byte arriving, in ms (default 30 s). */
  readonly bodyIdleTimeoutMs?: number;
  /**
   * Bytes of request bodies held at once, across every request of this server (default a budget of 256 MiB);
   * share one budget between servers of one process to bound them together.
   */
  readonly bodyBudget?: ByteBudget;
  /** Idle keep-alive connections are closed after this, in ms (default 30 s). */
  readonly keepAliveTimeoutMs?: number;
}

/** The limits with every default filled in. */
export type ResolvedServerLimits = Required<ServerLimits>;

/** Fills in the defaults of {@link ServerLimits}. */
export function resolveServerLimits(limits: ServerLimits = {}): ResolvedServerLimits {
  return {
    maxConnections: limits.maxConnections ?? 1024,
    handshakeTimeoutMs: limits.handshakeTimeoutMs ?? 10_000,
    headersTimeoutMs: limits.headersTimeoutMs ?? 20_000,
    requestTimeoutMs: limits.requestTimeoutMs ?? 600_000,
    bodyIdleTimeoutMs: limits.bodyIdleTimeoutMs ?? 30_000,
    bodyBudget: limits.bodyBudget ?? new ByteBudget(256 * 1024 * 1024),
    keepAliveTimeoutMs: limits.keepAliveTimeoutMs ?? 30_000,
  };
}

/**
 * An HTTPS server with mutual TLS (or plain HTTP without an identity, for local experiments), with the
 * connection cap and the handshake, headers and request timeouts of `limits` in force.
 *
 * @example
 * const server = createLimitedServer(identity, resolveServerLimits({ maxConnections: 256 }), handler);
 */
export function createLimitedServer(
  identity: TlsIdentity | undefined,
  limits: ResolvedServerLimits,
  handler: (req: IncomingMessage, res: ServerResponse) => void,
): Server {
  const timeouts = {
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    // Node checks the headers and request timeouts on this period (30 s by default): no coarser than they are
    connectionsCheckingInterval: Math.max(10, Math.min(1_000, limits.headersTimeoutMs)),
  };
  const server: Server = identity
    ? createHttpsServer(
        { ...mutualTlsServerOptions(identity), ...timeouts, handshakeTimeout: limits.handshakeTimeoutMs },
        handler,
      )
    : createHttpServer(timeouts, handler);
  server.maxConnections = limits.maxConnections;
  return server;
}

/**
 * A number of bytes shared by request bodies in flight: a body takes its bytes before it is read (its declared
 * length, or chunk by chunk) and gives them back when its request is done, so many large bodies at once cannot
 * exhaust memory. A body that does not fit is refused (for MHS, a transient DeliveryFailure: the sender retries).
 *
 * @example
 * const lease = budget.lease();
 * res.once('close', () => lease.release());
 * if (!lease.take(declaredLength)) refuseForNow();
 */
export class ByteBudget {
  readonly limit: number;
  private used = 0;

  constructor(limit: number) {
    this.limit = limit;
  }

  /** Bytes taken now. */
  get inUse(): number {
    return this.used;
  }

  /** A claim on the budget for one request, released once. */
  lease(): BudgetLease {
    let held = 0;
    return {
      take: (bytes) => {
        if (this.used + bytes > this.limit) return false;
        this.used += bytes;
        held += bytes;
        return true;
      },
      release: () => {
        this.used -= held;
        held = 0;
      },
    };
  }
}

/** One request's share of a {@link ByteBudget}. */
export interface BudgetLease {
  /** Takes `bytes` more if they fit; false (and nothing taken) if not. */
  take(bytes: number): boolean;
  /** Gives back everything taken (calling it again gives back nothing more). */
  release(): void;
}
