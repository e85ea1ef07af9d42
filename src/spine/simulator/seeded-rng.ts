// Moved to common/ so record/ can use it too; kept here so the simulator's imports stay as they are.
export { type Rng, seededRng } from '../../common/seeded-rng.ts';
