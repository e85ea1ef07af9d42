import { argon2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const derive = promisify(argon2);

// OWASP's minimum for Argon2id: 19 MiB, two passes, one lane.
const PARAMS = { memory: 19_456, passes: 2, parallelism: 1, tagLength: 32 } as const;

/**
 * Hashes a password with Argon2id (Node's built-in `crypto.argon2`), salt and parameters in the result.
 *
 * @example
 * const stored = await hashPassword('correct horse'); // 'argon2id$m=19456,t=2,p=1$<salt>$<tag>'
 */
export async function hashPassword(password: string): Promise<string> {
  const nonce = randomBytes(16);
  const tag = await derive('argon2id', { message: password, nonce, ...PARAMS });
  const p = `m=${PARAMS.memory},t=${PARAMS.passes},p=${PARAMS.parallelism}`;
  return `argon2id$${p}$${nonce.toString('base64url')}$${tag.toString('base64url')}`;
}

/** True when the password matches a hash made by {@link hashPassword} (compared in constant time). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algorithm, params, salt, expected] = stored.split('$');
  const m = /^m=(\d+),t=(\d+),p=(\d+)$/.exec(params ?? '');
  if (algorithm !== 'argon2id' || !m || !salt || !expected) return false;
  const want = Buffer.from(expected, 'base64url');
  const tag = await derive('argon2id', {
    message: password,
    nonce: Buffer.from(salt, 'base64url'),
    memory: Number(m[1]),
    passes: Number(m[2]),
    parallelism: Number(m[3]),
    tagLength: want.length,
  });
  return tag.length === want.length && timingSafeEqual(tag, want);
}
