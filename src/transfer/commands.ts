import type { EngineContext } from './engine-context.ts';
import { updatePracticeSettings } from './practice-settings.ts';
import { type DecisionBy, integrateRecord, type RejectionReason, rejectRecord } from './requesting/decide.ts';
import { type RecordRequest, requestRecord } from './requesting/request-record.ts';
import { completePrintTask, markLloydGeorgePosted } from './sending/lloyd-george.ts';

/**
 * The engine's typed commands, for the CLI, the web app and tests: nothing above `transfer/` writes its tables.
 * Every command names the practice acting, and a practice can act only on its own transfers.
 *
 * @example
 * const r = await engine.commands.requestRecord({ practiceOds: 'A12345', nhsNumber: '9990000018', actor: 'clerk-1' });
 */
export class TransferCommands {
  private readonly ctx: EngineContext;

  constructor(ctx: EngineContext) {
    this.ctx = ctx;
  }

  /** Registration accepted: register on PDS and request the record, once. */
  requestRecord(req: RecordRequest) {
    return requestRecord(this.ctx, req);
  }

  /** Integrates a record that is ready. */
  integrate(by: DecisionBy) {
    return integrateRecord(this.ctx, by);
  }

  /** Rejects a record that is ready, with the acknowledgement its reason calls for. */
  reject(by: DecisionBy, reason: RejectionReason) {
    return rejectRecord(this.ctx, by, reason);
  }

  /** The old practice posted the Lloyd George envelope. */
  markLloydGeorgePosted(by: { practiceOds: string; transferId: string; actor: string }) {
    return markLloydGeorgePosted(this.ctx, by);
  }

  /** One print task is done. */
  completePrintTask(by: { practiceOds: string; taskId: string; actor: string }) {
    return completePrintTask(this.ctx, by);
  }

  /** Switches GP2GP, or large-message compliance, on or off for a hosted practice. */
  updatePracticeSettings(ods: string, change: { gp2gpEnabled?: boolean; largeMessageCompliant?: boolean }) {
    return updatePracticeSettings(this.ctx.db, ods, change, new Date(this.ctx.clock.now()));
  }
}
