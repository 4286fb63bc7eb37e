import { ClientOrderId, StrategyId, ValidationError } from '@trading/domain';
import {
  ContingencyManager,
  decodeOrderEvent,
  encodeOrderRequest,
  Order,
  OrderBook,
  OrderBookOptions,
  OrderEvent,
  OrderList,
  OrderListKind,
  OrderRequest,
  OrderStatus,
} from '@trading/order-lifecycle';
import { Portfolio, PortfolioOptions, PortfolioSnapshot } from '@trading/portfolio';
import { parseRiskConfig, RiskConfigInput, RiskEngine, RiskEvent } from '@trading/risk';
import type { JournalRecord } from './state-store-journal';
import { KernelSnapshot, TradingKernel, TradingKernelDeps } from './trading-kernel';

/** What {@link restoreKernel} builds the kernel from (besides the recovered state). */
export interface KernelRecoveryDeps extends Omit<
  TradingKernelDeps,
  'portfolio' | 'risk' | 'orderBook' | 'contingencies' | 'idSequences'
> {
  /** Portfolio options for a start without a snapshot (`instruments` comes from {@link TradingKernelDeps.instruments}). */
  readonly portfolio: Omit<PortfolioOptions, 'instruments'>;
  /** Risk limits (a snapshot carries the risk state and counters, not the limits). */
  readonly risk: RiskConfigInput;
  /** Also told about every risk event of the restored engine (after the kernel, which journals it). */
  readonly onRiskEvent?: (event: RiskEvent) => void;
  /** Options of the restored order book. */
  readonly orderBook?: OrderBookOptions;
}

/** Input of {@link restoreKernel}. */
export interface RestoreKernelInput {
  /** The newest kernel snapshot (its `state`), or null to rebuild from the whole journal. */
  readonly snapshot: KernelSnapshot | null;
  /** WAL sequence the snapshot includes: records with `seq ≤` it are skipped (default 0). */
  readonly snapshotSequence?: number;
  /** Journal records in sequence order (e.g. what `recover(...)` passes to `apply`). */
  readonly records: Iterable<JournalRecord>;
  readonly deps: KernelRecoveryDeps;
}

/** An order that needs a look at the venue before trading resumes. */
export interface RecoveredOrderInfo {
  readonly clientOrderId: ClientOrderId;
  readonly strategyId: StrategyId;
  readonly status: OrderStatus;
}

/** What {@link restoreKernel} did and what must be reconciled with the venue. */
export interface KernelRecoveryReport {
  /** Sequence the snapshot included (0: none). */
  readonly snapshotSequence: number;
  /** Highest record sequence applied (the snapshot's when none). */
  readonly lastSequence: number;
  /** Records with a sequence above the snapshot's, applied once each. */
  readonly recordsReplayed: number;
  /** Records skipped because their sequence was ≤ the snapshot's or already applied. */
  readonly recordsSkipped: number;
  /** Of the replayed records: `order` records re-applied with `replayOrderEvent`. */
  readonly orderEvents: number;
  /** Of the replayed records: `risk` records re-applied with `RiskEngine.applyEvent`. */
  readonly riskEvents: number;
  /** Every open order. */
  readonly openOrders: readonly RecoveredOrderInfo[];
  /**
   * Orders whose venue state is unknown: SUBMITTED, PENDING_CANCEL or PENDING_REPLACE. Reconcile
   * them (by client order id) before trading resumes.
   */
  readonly inFlight: readonly RecoveredOrderInfo[];
  /**
   * INITIALIZED orders: the intent is durable, but the `OrderSubmitted` record of an order that was
   * being sent may not be, so an order not waiting on an OTO parent may be at the venue. The kernel
   * does not resend them.
   */
  readonly initialized: readonly RecoveredOrderInfo[];
  /** Problems that did not stop the restore (e.g. an order list whose orders are not all in the journal). */
  readonly warnings: readonly string[];
}

/** Result of {@link restoreKernel}. */
export interface RestoredKernel {
  /** The rebuilt kernel, not started: reconcile the reported orders with the venue, then `start()`. */
  readonly kernel: TradingKernel;
  readonly report: KernelRecoveryReport;
  /**
   * Applies further records (e.g. the rest of a log); records with a sequence ≤ the last applied are
   * skipped, so replaying the same records again changes nothing. Returns the number applied.
   */
  replay(records: Iterable<JournalRecord>): number;
}

const IN_FLIGHT: ReadonlySet<OrderStatus> = new Set<OrderStatus>([
  'SUBMITTED',
  'PENDING_CANCEL',
  'PENDING_REPLACE',
]);

interface DecodedRecord {
  readonly seq: number;
  readonly type: string;
  readonly record: JournalRecord;
  readonly event?: OrderEvent;
}

/**
 * Rebuilds a {@link TradingKernel} from its newest snapshot and the journal records after it:
 * portfolio, risk engine (state, counters; later `risk` records via `applyEvent`, later
 * `OrderSubmitted` records counted by `onOrderSubmitted`), order book, contingent order lists, id
 * sequences (also past the ids of journaled denials) and strategy state (`loadState`); then every later `order` record
 * is re-applied with `kernel.replayOrderEvent` exactly once (records with `seq ≤ snapshotSequence`
 * are skipped). Order lists registered after the snapshot are rebuilt from their orders'
 * `OrderInitialized` requests. `denial`, `strategy-state` and `operator` records change no state.
 *
 * Not journaled, hence not rebuilt without a snapshot: strategy state, portfolio marks and equity
 * curve, and a rate-limit day roll caused only by a denied check (the next check rolls it again).
 *
 * Throws ValidationError for a malformed snapshot or record and StateError for a risk event that
 * does not fit the risk state (both mean the log and snapshot do not belong together).
 */
export function restoreKernel(input: RestoreKernelInput): RestoredKernel {
  const { snapshot, deps } = input;
  const snapshotSequence = input.snapshotSequence ?? 0;
  if (!Number.isSafeInteger(snapshotSequence) || snapshotSequence < 0)
    throw new ValidationError(
      'snapshotSequence',
      snapshotSequence,
      'must be a non-negative integer',
    );
  if (snapshot !== null && (typeof snapshot !== 'object' || snapshot.version !== 1))
    throw new ValidationError(
      'snapshot.version',
      (snapshot as { version?: unknown } | null)?.version,
      'must be 1',
    );

  let last = snapshotSequence;
  let skipped = 0;
  const pending: DecodedRecord[] = [];
  for (const r of input.records) {
    if (r.seq <= last) {
      skipped++;
      continue;
    }
    pending.push(decode(r));
    last = r.seq;
  }

  const strategies = new Map(deps.strategies.map((s) => [s.id as string, s]));
  const idSequences: Record<string, number> = { ...(snapshot?.idSequences ?? {}) };
  if (snapshot) {
    for (const [id, state] of Object.entries(snapshot.strategies))
      strategies.get(id)?.loadState?.(state);
  }

  const holder: { kernel?: TradingKernel } = {};
  const riskOptions = {
    onEvent: (e: RiskEvent) => {
      holder.kernel?.onRiskEvent(e);
      deps.onRiskEvent?.(e);
    },
  };
  const risk = snapshot
    ? RiskEngine.fromSnapshot(snapshot.risk, parseRiskConfig(deps.risk), riskOptions)
    : RiskEngine.create(deps.risk, riskOptions);
  const portfolio = snapshot
    ? Portfolio.fromSnapshot(snapshot.portfolio as unknown as PortfolioSnapshot, deps.instruments)
    : new Portfolio({ ...deps.portfolio, instruments: deps.instruments });
  const orderBook = snapshot
    ? OrderBook.fromSnapshot(snapshot.orderBook, deps.orderBook)
    : new OrderBook(deps.orderBook);
  const contingencies = snapshot
    ? ContingencyManager.fromSnapshot(snapshot.contingencies)
    : new ContingencyManager();
  const { portfolio: _p, risk: _r, onRiskEvent: _o, orderBook: _b, ...kernelDeps } = deps;
  const kernel = (holder.kernel = new TradingKernel({
    ...kernelDeps,
    portfolio,
    risk,
    orderBook,
    contingencies,
    idSequences,
  }));

  const warnings: string[] = [];
  let replayed = 0;
  let orderEvents = 0;
  let riskEvents = 0;
  const apply = (batch: readonly DecodedRecord[]): void => {
    const lists = orderListsOf(batch, contingencies, warnings);
    for (const d of batch) {
      replayed++;
      if (d.event) {
        const e = d.event;
        if (e.type === 'OrderInitialized') {
          const list = lists.get(e.clientOrderId);
          if (list && !contingencies.isManaged(e.clientOrderId)) contingencies.register(list);
        }
        kernel.replayOrderEvent(e);
        if (e.type === 'OrderSubmitted') risk.onOrderSubmitted(e.tsEvent);
        orderEvents++;
      } else if (d.type === 'denial') {
        // Ids consumed by denials are never journaled as orders: reserve them so none is reused.
        const p = d.record.payload as {
          strategyId?: unknown;
          clientOrderId?: unknown;
          relatedClientOrderIds?: unknown;
        } | null;
        if (typeof p?.strategyId === 'string') {
          const related = Array.isArray(p.relatedClientOrderIds) ? p.relatedClientOrderIds : [];
          kernel.reserveClientOrderIds(p.strategyId, [p.clientOrderId, ...related]);
        }
      } else if (d.type === 'risk') {
        risk.applyEvent(d.record.payload as unknown as RiskEvent);
        riskEvents++;
      }
    }
  };
  apply(pending);

  const info = (o: Order): RecoveredOrderInfo => ({
    clientOrderId: o.clientOrderId,
    strategyId: o.strategyId,
    status: o.status,
  });
  const open = kernel.orders.openOrders();
  const report: KernelRecoveryReport = {
    snapshotSequence,
    lastSequence: last,
    recordsReplayed: replayed,
    recordsSkipped: skipped,
    orderEvents,
    riskEvents,
    openOrders: open.map(info),
    inFlight: open.filter((o) => IN_FLIGHT.has(o.status)).map(info),
    initialized: open.filter((o) => o.status === 'INITIALIZED').map(info),
    warnings,
  };

  return {
    kernel,
    report,
    replay(records: Iterable<JournalRecord>): number {
      const more: DecodedRecord[] = [];
      for (const r of records) {
        if (r.seq <= last) continue;
        more.push(decode(r));
        last = r.seq;
      }
      apply(more);
      return more.length;
    },
  };
}

function decode(r: JournalRecord): DecodedRecord {
  if (!Number.isSafeInteger(r.seq) || r.seq < 1)
    throw new ValidationError('record.seq', r.seq, 'must be a positive integer');
  if (r.type !== 'order') return { seq: r.seq, type: r.type, record: r };
  try {
    return { seq: r.seq, type: r.type, record: r, event: decodeOrderEvent(r.payload) };
  } catch (e) {
    throw new ValidationError(
      `record[${r.seq}].payload`,
      r.payload,
      `must be an order event (${(e as Error).message})`,
    );
  }
}

/**
 * Order lists first initialized in `batch` and unknown to `contingencies`, rebuilt from the
 * `OrderInitialized` requests (their `contingency` metadata), keyed by the list's first order.
 */
function orderListsOf(
  batch: readonly DecodedRecord[],
  contingencies: ContingencyManager,
  warnings: string[],
): Map<ClientOrderId, OrderList> {
  const groups = new Map<string, OrderRequest[]>();
  for (const d of batch) {
    const e = d.event;
    if (
      e?.type !== 'OrderInitialized' ||
      !e.request.contingency ||
      contingencies.isManaged(e.clientOrderId)
    )
      continue;
    const id = e.request.contingency.orderListId;
    const g = groups.get(id) ?? [];
    g.push(e.request);
    groups.set(id, g);
  }
  const byFirst = new Map<ClientOrderId, OrderList>();
  for (const [id, requests] of groups) {
    const parent = requests.find(
      (r) => r.parentClientOrderId === undefined && r.contingency?.type === 'OTO',
    );
    const children = requests.filter((r) => r.parentClientOrderId !== undefined);
    const kind: OrderListKind =
      parent === undefined
        ? 'OCO'
        : children.every((c) => c.contingency?.type === 'OCO')
          ? 'BRACKET'
          : 'OTO';
    const expected = new Set<string>(
      requests.flatMap((r) => [r.clientOrderId, ...(r.contingency?.linkedClientOrderIds ?? [])]),
    );
    if (expected.size !== requests.length) {
      warnings.push(
        `order list ${id}: only ${requests.length} of its ${expected.size} orders are in the journal; its contingencies are not restored`,
      );
      continue;
    }
    try {
      byFirst.set(
        requests[0].clientOrderId,
        OrderList.fromJSON({ id, kind, orders: requests.map(encodeOrderRequest) }),
      );
    } catch (e) {
      warnings.push(
        `order list ${id}: ${(e as Error).message}; its contingencies are not restored`,
      );
    }
  }
  return byFirst;
}
