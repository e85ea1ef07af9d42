/**
 * Spine simulator routing benchmark: N ebXML messages of K KB sent from one practice to another through the
 * simulator over loopback HTTPS with mutual TLS (sender -> Spine -> receiver, transport ack back), all in this
 * one process. Prints one JSON line.
 *
 *   node bench/spine-routing.ts [--messages 1000] [--kb 50] [--concurrency 32] [--faults 0]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildEhrRequest } from '../src/hl7/index.ts';
import type { SendOutcome } from '../src/spine/mhs/mhs-outbound.ts';
import { evenFaultPlan } from '../src/spine/simulator/fault-injector.ts';
import { startLocalNetwork } from '../src/spine/simulator/local-network.ts';
import { samplePractice } from '../src/spine/simulator/sample-network.ts';

const { values } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000' },
    kb: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: '32' },
    faults: { type: 'string', default: '0' },
  },
});
const total = Number(values.messages);
const kb = Number(values.kb);
const concurrency = Number(values.concurrency);
const faultRate = Number(values.faults);

const dataDir = mkdtempSync(join(tmpdir(), 'gp2gp-bench-spine-'));
let delivered = 0;
const net = await startLocalNetwork({
  dataDir,
  practices: [samplePractice('SIMA01', 1), samplePractice('SIMB02', 2)],
  attemptTimeoutMs: 5000,
  ...(faultRate > 0 ? { faults: { ...evenFaultPlan(faultRate, 1), dropHoldMs: 500 } } : {}),
  onMessage: async () => {
    delivered++;
  },
});

try {
  const a = net.practices.get('SIMA01')!;
  const b = net.practices.get('SIMB02')!;
  /** An EHR request padded inside ControlActEvent to about `kb` KB, so the whole payload is parsed as XML. */
  const payloadFor = (messageId: string): string => {
    const xml = buildEhrRequest({
      messageId,
      creationTime: new Date(),
      requestId: crypto.randomUUID().toUpperCase(),
      nhsNumber: '9990000018',
      requestingPractice: { asid: a.entry.asid, ods: a.entry.ods },
      sendingPractice: { asid: b.entry.asid, ods: b.entry.ods },
    });
    const filler =
      '<pertinentInformation typeCode="PERT"><text>Synthetic consultation note for load testing only.</text></pertinentInformation>';
    const repeat = Math.max(0, Math.ceil((kb * 1024 - xml.length) / filler.length));
    return xml.replace('</ControlActEvent>', `${filler.repeat(repeat)}</ControlActEvent>`);
  };
  const reliability = { persistDurationSeconds: 120, retries: 20, retryIntervalSeconds: 0.2 };
  const send = (): Promise<SendOutcome> => {
    const messageId = crypto.randomUUID().toUpperCase();
    return a.outbound.send({
      toPartyKey: b.entry.partyKey,
      interactionId: 'RCMR_IN010000UK05',
      conversationId: crypto.randomUUID().toUpperCase(),
      messageId,
      payload: payloadFor(messageId),
      reliability,
    });
  };

  // warm-up: TLS sessions and JIT
  await Promise.all(Array.from({ length: Math.min(concurrency, 32) }, () => send()));
  const warm = delivered;
  const warmLogged = net.spine.log?.count ?? 0;

  const latencies: number[] = [];
  const outcomes: Record<string, number> = {};
  let next = 0;
  let peakRss = process.memoryUsage().rss;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < total) {
      next++;
      const t0 = performance.now();
      const o = await send();
      latencies.push(performance.now() - t0);
      outcomes[o.kind] = (outcomes[o.kind] ?? 0) + 1;
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((x, y) => x - y);
  const pct = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0);
  const result = {
    messages: total,
    message_kb: kb,
    concurrency,
    fault_rate: faultRate,
    seconds: Number(seconds.toFixed(2)),
    msg_per_s: Math.round(total / seconds),
    mb_per_s: Number(((total * kb) / 1024 / seconds).toFixed(1)),
    p50_ms: pct(0.5),
    p95_ms: pct(0.95),
    outcomes,
    delivered: delivered - warm,
    logged: (net.spine.log?.count ?? 0) - warmLogged,
    peak_rss_mb: Math.round(peakRss / 1024 / 1024),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  await net.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
