import type { Logger } from './logger.js';

/**
 * Run a side effect other modules observe AFTER a commit (STYLE.md rule 3): it never fails the
 * request — the database is already right, and each owner heals a lost update (the availability
 * snapshot is reconciled from PostgreSQL, caches expire). A failure is logged with `what`.
 */
export async function afterCommit(logger: Pick<Logger, 'warn'>, what: string, fn: () => Promise<unknown>): Promise<void> {
  try {
    await fn();
  } catch (err) {
    logger.warn({ err, what }, 'after-commit side effect failed');
  }
}
