import type { ExtractAddress } from '../index.ts';

/**
 * A synthetic transfer's addressing for tests that write extracts: made-up values belong in tests only (the
 * translator itself never invents an ASID or request id).
 */
export const TEST_ADDRESS: ExtractAddress = {
  requestId: 'AAAAAAAA-0000-4000-8000-000000000001',
  sendingPractice: { asid: '200000000002', ods: 'X99001' },
  requestingPractice: { asid: '200000000001', ods: 'Y99002' },
};
