import type { LargeMessageReasonCode } from './assembly-types.ts';

/** A reassembly that cannot go on; thrown inside the byte streams, turned into a typed outcome by the caller. */
export class AssemblyError extends Error {
  override readonly name = 'AssemblyError';
  readonly reasonCode: LargeMessageReasonCode;

  constructor(reasonCode: LargeMessageReasonCode, message: string) {
    super(message);
    this.reasonCode = reasonCode;
  }
}
