import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, signedInAgent, type TestContext } from '../../../test/context.js';
import { createTestEvent } from '../../../test/factories.js';

// Hold writes run on their own pool (platform/db.ts, architecture.md "Hold commits"):
// asynchronous commit unless HOLD_COMMIT=sync. Orders and payments never commit asynchronously.
// Both pools plan named statements once (generic plans).

async function setting(pool: { query: TestContext['db']['query'] }, name: 'synchronous_commit' | 'plan_cache_mode'): Promise<string> {
  const { rows } = await pool.query(`SELECT current_setting($1) AS v`, [name]);
  return rows[0].v;
}

describe('hold commits (default HOLD_COMMIT=async)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(async () => {
    await ctx.services.inventory.close();
    await ctx.close();
  });

  it('when the app is built, then the holds pool commits asynchronously and the main pool stays durable, both with generic plans', async () => {
    const holdsDb = ctx.deps.holdsDb!;
    expect(holdsDb).toBeDefined();
    expect(await setting(holdsDb, 'synchronous_commit')).toBe('off');
    expect(await setting(holdsDb, 'plan_cache_mode')).toBe('force_generic_plan');
    expect(await setting(ctx.db, 'synchronous_commit')).toBe('on');
    expect(await setting(ctx.db, 'plan_cache_mode')).toBe('force_generic_plan');
  });

  it('when a fan holds and releases, then the statements ran on the holds pool and the hold is visible to the main pool at once', async () => {
    const ev = await createTestEvent(ctx.db, { sections: [{ rows: 1, seatsPerRow: 4 }] });
    const { agent } = await signedInAgent(ctx);
    let holdsPoolUses = 0;
    ctx.deps.holdsDb!.on('acquire', () => holdsPoolUses++);
    const hold = await agent.post(`/api/v1/events/${ev.eventId}/holds`).send({ seatIds: [ev.seatIds[0]] });
    expect(hold.status).toBe(201);
    expect(holdsPoolUses).toBe(1);
    // Visibility does not wait for the WAL flush: the durable pool (checkout's) sees it now.
    const seen = await ctx.db.query(`SELECT status, hold_id FROM event_seats WHERE id = $1`, [ev.seatIds[0]]);
    expect(seen.rows[0]).toEqual({ status: 'held', hold_id: hold.body.id });
    expect((await agent.delete(`/api/v1/holds/${hold.body.id}`)).status).toBe(204);
    expect(holdsPoolUses).toBe(2);
    const after = await ctx.db.query(`SELECT status FROM event_seats WHERE id = $1`, [ev.seatIds[0]]);
    expect(after.rows[0].status).toBe('available');
  });
});

describe('hold commits with HOLD_COMMIT=sync', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext({ HOLD_COMMIT: 'sync' });
  });
  afterAll(async () => {
    await ctx.services.inventory.close();
    await ctx.close();
  });

  it('when configured durable, then hold commits wait for the WAL flush but still use generic plans', async () => {
    expect(await setting(ctx.deps.holdsDb!, 'synchronous_commit')).toBe('on');
    expect(await setting(ctx.deps.holdsDb!, 'plan_cache_mode')).toBe('force_generic_plan');
  });
});
