import { defineConfig } from 'drizzle-kit';

/** drizzle-kit's settings: the one schema file in, the one migrations folder out (`npm run db:generate`). */
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema.ts',
  out: './src/store/migrations',
});
