import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Initial SQL history schema. Timestamps are `bigint` UTC epoch milliseconds; money, prices and
 * quantities are unconstrained `numeric` (exact decimal). Append-only projection tables use the
 * WAL sequence (`wal_seq`) as primary key, which makes replays idempotent.
 */
export class InitialHistorySchema1732233600000 implements MigrationInterface {
  name = 'InitialHistorySchema1732233600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE "sessions" (
      "id" character varying(128) NOT NULL,
      "mode" character varying(16) NOT NULL,
      "status" character varying(16) NOT NULL,
      "created_at" bigint NOT NULL,
      "started_at" bigint,
      "stopped_at" bigint,
      "meta" jsonb,
      CONSTRAINT "sessions_pkey" PRIMARY KEY ("id"))`);
    await q.query(`CREATE INDEX "sessions_created_at_idx" ON "sessions" ("created_at")`);

    await q.query(`CREATE TABLE "orders" (
      "client_order_id" character varying(128) NOT NULL,
      "venue_order_id" character varying(256),
      "session_id" character varying(128),
      "strategy_id" character varying(64),
      "instrument_id" character varying(64) NOT NULL,
      "side" character varying(8) NOT NULL,
      "type" character varying(16) NOT NULL,
      "time_in_force" character varying(8) NOT NULL,
      "quantity" numeric NOT NULL,
      "limit_price" numeric,
      "stop_price" numeric,
      "filled_quantity" numeric NOT NULL,
      "avg_fill_price" numeric,
      "status" character varying(32) NOT NULL,
      "created_at" bigint NOT NULL,
      "updated_at" bigint NOT NULL,
      "wal_seq" bigint,
      CONSTRAINT "orders_pkey" PRIMARY KEY ("client_order_id"))`);
    await q.query(
      `CREATE INDEX "orders_session_created_idx" ON "orders" ("session_id", "created_at")`,
    );
    await q.query(
      `CREATE INDEX "orders_instrument_created_idx" ON "orders" ("instrument_id", "created_at")`,
    );
    await q.query(`CREATE INDEX "orders_created_at_idx" ON "orders" ("created_at")`);

    await q.query(`CREATE TABLE "order_events" (
      "wal_seq" bigint NOT NULL,
      "client_order_id" character varying(128) NOT NULL,
      "type" character varying(64) NOT NULL,
      "ts" bigint NOT NULL,
      "payload" jsonb,
      CONSTRAINT "order_events_pkey" PRIMARY KEY ("wal_seq"))`);
    await q.query(
      `CREATE INDEX "order_events_order_idx" ON "order_events" ("client_order_id", "wal_seq")`,
    );
    await q.query(`CREATE INDEX "order_events_ts_idx" ON "order_events" ("ts")`);

    await q.query(`CREATE TABLE "fills" (
      "wal_seq" bigint NOT NULL,
      "trade_id" character varying(256) NOT NULL,
      "client_order_id" character varying(128) NOT NULL,
      "session_id" character varying(128),
      "instrument_id" character varying(64) NOT NULL,
      "side" character varying(8) NOT NULL,
      "quantity" numeric NOT NULL,
      "price" numeric NOT NULL,
      "commission" numeric NOT NULL,
      "currency" character varying(10) NOT NULL,
      "liquidity" character varying(8) NOT NULL,
      "ts" bigint NOT NULL,
      CONSTRAINT "fills_pkey" PRIMARY KEY ("wal_seq"))`);
    await q.query(`CREATE UNIQUE INDEX "fills_trade_id_uq" ON "fills" ("trade_id")`);
    await q.query(`CREATE INDEX "fills_order_idx" ON "fills" ("client_order_id", "ts")`);
    await q.query(`CREATE INDEX "fills_instrument_ts_idx" ON "fills" ("instrument_id", "ts")`);
    await q.query(`CREATE INDEX "fills_session_ts_idx" ON "fills" ("session_id", "ts")`);

    await q.query(`CREATE TABLE "position_snapshots" (
      "wal_seq" bigint NOT NULL,
      "session_id" character varying(128),
      "instrument_id" character varying(64) NOT NULL,
      "quantity" numeric NOT NULL,
      "avg_price" numeric NOT NULL,
      "realized_pnl" numeric NOT NULL,
      "currency" character varying(10) NOT NULL,
      "ts" bigint NOT NULL,
      CONSTRAINT "position_snapshots_pkey" PRIMARY KEY ("wal_seq"))`);
    await q.query(
      `CREATE INDEX "position_snapshots_instrument_ts_idx" ON "position_snapshots" ("instrument_id", "ts", "wal_seq")`,
    );
    await q.query(
      `CREATE INDEX "position_snapshots_session_idx" ON "position_snapshots" ("session_id", "instrument_id", "ts")`,
    );

    await q.query(`CREATE TABLE "candles" (
      "symbol" character varying(64) NOT NULL,
      "timeframe" character varying(16) NOT NULL,
      "ts" bigint NOT NULL,
      "open" numeric NOT NULL,
      "high" numeric NOT NULL,
      "low" numeric NOT NULL,
      "close" numeric NOT NULL,
      "volume" numeric NOT NULL,
      CONSTRAINT "candles_pkey" PRIMARY KEY ("symbol", "timeframe", "ts"))`);

    await q.query(`CREATE TABLE "backtest_runs" (
      "id" character varying(128) NOT NULL,
      "session_id" character varying(128),
      "strategy" character varying(128) NOT NULL,
      "params" jsonb,
      "status" character varying(16) NOT NULL,
      "started_at" bigint NOT NULL,
      "finished_at" bigint,
      "metrics" jsonb,
      CONSTRAINT "backtest_runs_pkey" PRIMARY KEY ("id"))`);
    await q.query(
      `CREATE INDEX "backtest_runs_strategy_started_idx" ON "backtest_runs" ("strategy", "started_at")`,
    );
    await q.query(`CREATE INDEX "backtest_runs_started_at_idx" ON "backtest_runs" ("started_at")`);

    await q.query(`CREATE TABLE "projection_checkpoints" (
      "name" character varying(64) NOT NULL,
      "last_seq" bigint NOT NULL,
      CONSTRAINT "projection_checkpoints_pkey" PRIMARY KEY ("name"))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of [
      'projection_checkpoints',
      'backtest_runs',
      'candles',
      'position_snapshots',
      'fills',
      'order_events',
      'orders',
      'sessions',
    ]) {
      await q.query(`DROP TABLE "${t}"`);
    }
  }
}
