import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ManualClock } from '../../common/clock.ts';
import type { LocalNetwork } from '../simulator/local-network.ts';

/**
 * Runs `work` on a local network whose timers are on `clock`, moving the clock on only when the network is quiet:
 * every sender's attempt has reached Spine, every request Spine holds is waiting on the clock (a drop, delay or
 * reorder fault), and no background delivery runs. Then the clock jumps to the next wake-up (a held message's
 * release, a sender's retry). So retries, persist durations and fault holds are decided by the clock alone, never by
 * how fast a busy machine moves bytes.
 *
 * @example
 * const outcome = await driveClock(clock, net, a.outbound.send(message));
 */
export async function driveClock<T>(clock: ManualClock, net: LocalNetwork, work: Promise<T>): Promise<T> {
  let finished = false;
  const stop = (): void => {
    finished = true;
  };
  const done = work.then(stop, stop);
  const { requests, held, background } = net.spine.router.activity;
  const senders = [...net.practices.values()].map((p) => p.outbound.inFlight);
  const quiet = (): boolean =>
    senders.reduce((n, s) => n + s.count, 0) === requests.count &&
    requests.count === held.count &&
    background.count === 0;
  while (!finished) {
    await nextTurn(); // continuations (a sender reaching its wait) run first
    if (finished) break;
    const wake = clock.nextWake;
    if (quiet() && wake !== undefined) {
      await clock.advanceTo(wake);
      continue;
    }
    await Promise.race([
      done,
      requests.changed(),
      held.changed(),
      background.changed(),
      ...senders.map((s) => s.changed()),
    ]);
  }
  return work;
}
